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
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AwsIntegration = z.infer<typeof AwsIntegration>;

const RoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN such as arn:aws:iam::123456789012:role/deployer");

export const CreateAwsIntegration = z.strictObject({
  id: Slug.optional(),
  name: Name,
  spaceId: z.string().min(1).default("root"),
  labels: Labels.default([]),
  roleArn: RoleArn,
  durationSeconds: z.number().int().min(900).max(43_200).default(3600),
});
export type CreateAwsIntegration = z.input<typeof CreateAwsIntegration>;

export const UpdateAwsIntegration = z.strictObject({
  name: Name.optional(),
  spaceId: z.string().min(1).optional(),
  labels: Labels.optional(),
  roleArn: RoleArn.optional(),
  durationSeconds: z.number().int().min(900).max(43_200).optional(),
});
export type UpdateAwsIntegration = z.input<typeof UpdateAwsIntegration>;
