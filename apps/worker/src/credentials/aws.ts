import type { JobAwsCredentials } from "@gantry/contract";
import { assumeRoleWithWebIdentity, defaultStsEndpoint } from "./sts-client.js";

/** Worker settings for AWS integrations. */
export interface AwsCredentialOptions {
  /** STS endpoint for `generateCredentialsInWorker` (default: the region's public endpoint). */
  stsEndpoint?: string;
}

/** Environment for a run's AWS integration, the values to mask, and a line for the run log. */
export interface AwsRunCredentials {
  env: Record<string, string>;
  secrets: string[];
  description: string;
}

/**
 * Equips a run with its AWS integration. By default the run's own SDK (and the simulator) assume
 * the role from AWS_ROLE_ARN and the token file, as on EKS. With `generateCredentialsInWorker`
 * the worker assumes it and injects temporary keys, so code that cannot read a token file still
 * gets credentials; the keys are masked like any secret.
 */
export async function awsRunCredentials(aws: JobAwsCredentials, token: { value: string; file: string }, opts: AwsCredentialOptions): Promise<AwsRunCredentials> {
  const region: Record<string, string> = aws.region ? { AWS_REGION: aws.region, AWS_DEFAULT_REGION: aws.region } : {};
  const what = `AWS integration ${aws.integrationId} (${aws.scope} scope, role ${aws.roleArn})`;
  if (!aws.generateCredentialsInWorker) {
    return {
      env: { ...region, AWS_ROLE_ARN: aws.roleArn, AWS_WEB_IDENTITY_TOKEN_FILE: token.file, AWS_ROLE_SESSION_NAME: aws.sessionName },
      secrets: [],
      description: `${what}: the run assumes the role with its identity token (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE)`,
    };
  }
  const endpoint = opts.stsEndpoint ?? defaultStsEndpoint(aws.region);
  const creds = await assumeRoleWithWebIdentity(endpoint, { roleArn: aws.roleArn, sessionName: aws.sessionName, token: token.value, durationSeconds: aws.durationSeconds });
  return {
    env: { ...region, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken },
    secrets: [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken],
    description: `${what}: the worker assumed the role at ${endpoint}; temporary keys expire at ${creds.expiration}`,
  };
}
