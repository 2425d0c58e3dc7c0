import type { SimClient } from "../client.js";

/** ARN of a regional resource in the client's account, e.g. `arn:aws:ec2:us-east-1:123...:vpc/vpc-0...`. */
export function regionalArn(client: SimClient, service: string, resource: string): string {
  return `arn:aws:${service}:${client.region}:${client.identity.accountId}:${resource}`;
}

/** ARN of an IAM resource (IAM ARNs have no region). */
export function iamArn(client: SimClient, resource: string): string {
  return `arn:aws:iam::${client.identity.accountId}:${resource}`;
}
