import { z } from "zod";
import { Description, Labels, Name, PageQuery, Slug, Timestamp } from "./common.js";

export const PolicyType = z.enum(["PLAN", "APPROVAL", "GIT_PUSH", "TRIGGER", "NOTIFICATION", "LOGIN", "ACCESS", "INITIALIZATION", "TASK"]);
export type PolicyType = z.infer<typeof PolicyType>;
export const RegoVersion = z.enum(["V0", "V1"]);

export const Policy = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  type: PolicyType,
  body: z.string(),
  spaceId: z.string(),
  labels: Labels,
  regoVersion: RegoVersion,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Policy = z.infer<typeof Policy>;

export const CreatePolicy = z.strictObject({
  id: Slug.optional(),
  name: Name,
  description: Description.default(""),
  type: PolicyType,
  body: z.string().min(1, "must not be empty").max(1024 * 1024),
  spaceId: z.string().min(1).default("root"),
  labels: Labels.default([]),
  regoVersion: RegoVersion.default("V1"),
});
export type CreatePolicy = z.input<typeof CreatePolicy>;

export const UpdatePolicy = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  body: z.string().min(1, "must not be empty").max(1024 * 1024).optional(),
  spaceId: z.string().min(1).optional(),
  labels: Labels.optional(),
  regoVersion: RegoVersion.optional(),
});
export type UpdatePolicy = z.input<typeof UpdatePolicy>;

export const PolicyListQuery = PageQuery.extend({
  type: PolicyType.optional(),
});
