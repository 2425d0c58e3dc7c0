import { z } from "zod";
import { Description, Hooks, Labels, Name, Slug, Timestamp } from "./common.js";

export const Context = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  spaceId: z.string(),
  labels: Labels,
  hooks: Hooks,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Context = z.infer<typeof Context>;

export const CreateContext = z.strictObject({
  id: Slug.optional(),
  name: Name,
  description: Description.default(""),
  spaceId: z.string().min(1).default("root"),
  labels: Labels.default([]),
  hooks: Hooks.default(Hooks.parse({})),
});
export type CreateContext = z.input<typeof CreateContext>;

export const UpdateContext = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  spaceId: z.string().min(1).optional(),
  labels: Labels.optional(),
  hooks: Hooks.optional(),
});
export type UpdateContext = z.input<typeof UpdateContext>;
