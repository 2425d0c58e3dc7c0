import { z } from "zod";
import { Labels, Name, Slug, Timestamp } from "./common.js";

/** An AWS role that runs assume with a short-lived web identity token (OIDC). */
export const AwsIntegration = z.object({
  id: z.string(),
  name: z.string(),
  spaceId: z.string(),
  labels: Labels,
  roleArn: z.string(),
  durationSeconds: z.number().int(),
  generateCredentialsInWorker: z.boolean().describe("the worker assumes the role (AssumeRoleWithWebIdentity) and hands the run temporary keys, instead of the run's SDK doing it with the token file"),
  externalId: z.string().nullable().describe("added to the run's identity token as the `externalId` claim, for trust conditions"),
  region: z.string().nullable().describe("AWS_REGION of the run and the regional STS endpoint; null leaves the region to the code"),
  audience: z.string().nullable().describe("`aud` of the run's identity token; null means the issuer's host name"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AwsIntegration = z.infer<typeof AwsIntegration>;

const Region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "must be an AWS region name such as us-east-1");
const ExternalId = z.string().min(2).max(1224).regex(/^[\w+=,.@:/-]+$/, "may hold letters, digits and +=,.@:/- (as STS external ids)");
const Audience = z.string().min(1).max(255).regex(/^\S+$/, "must not contain white space");

const RoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN such as arn:aws:iam::123456789012:role/deployer");

export const CreateAwsIntegration = z.strictObject({
  id: Slug.optional(),
  name: Name,
  spaceId: z.string().min(1).default("root"),
  labels: Labels.default([]),
  roleArn: RoleArn,
  durationSeconds: z.number().int().min(900).max(43_200).default(3600),
  generateCredentialsInWorker: z.boolean().default(false),
  externalId: ExternalId.nullable().default(null),
  region: Region.nullable().default(null),
  audience: Audience.nullable().default(null),
});
export type CreateAwsIntegration = z.input<typeof CreateAwsIntegration>;

export const UpdateAwsIntegration = z.strictObject({
  name: Name.optional(),
  spaceId: z.string().min(1).optional(),
  labels: Labels.optional(),
  roleArn: RoleArn.optional(),
  durationSeconds: z.number().int().min(900).max(43_200).optional(),
  generateCredentialsInWorker: z.boolean().optional(),
  externalId: ExternalId.nullable().optional(),
  region: Region.nullable().optional(),
  audience: Audience.nullable().optional(),
});
export type UpdateAwsIntegration = z.input<typeof UpdateAwsIntegration>;
