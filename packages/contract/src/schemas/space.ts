import { z } from "zod";
import { Description, Labels, Name, Slug, Timestamp } from "./common.js";

export const Space = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  parentSpaceId: z.string().nullable().describe("null only for the root space"),
  inheritEntities: z.boolean(),
  labels: Labels,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Space = z.infer<typeof Space>;

export const CreateSpace = z.strictObject({
  id: Slug.optional().describe("defaults to a slug of the name with a unique suffix"),
  name: Name,
  description: Description.default(""),
  parentSpaceId: z.string().min(1).default("root"),
  inheritEntities: z.boolean().default(false),
  labels: Labels.default([]),
});
export type CreateSpace = z.input<typeof CreateSpace>;

export const UpdateSpace = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  parentSpaceId: z.string().min(1).optional(),
  inheritEntities: z.boolean().optional(),
  labels: Labels.optional(),
});
export type UpdateSpace = z.input<typeof UpdateSpace>;
