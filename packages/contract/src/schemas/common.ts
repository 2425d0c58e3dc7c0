import { z } from "zod";

/** Lowercase slug used as the id of stacks, contexts, policies and spaces. */
export const Slug = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a lowercase slug: letters, digits, '-' and '_', starting with a letter or digit");

/** Free-form labels; `autoattach:<label>` and `autoattach:*` have meaning on attachable entities. */
export const Labels = z.array(z.string().min(1).max(255).regex(/^\S(.*\S)?$/, "must not start or end with white space")).max(100);

/** A display name. Not trimmed silently: a stored value must equal what was sent (Terraform checks). */
export const Name = z.string().min(1, "must not be empty").max(255).regex(/^\S(.*\S)?$/s, "must not start or end with white space");
export const Description = z.string().max(10_000);
export const Timestamp = z.string().describe("RFC 3339 timestamp");

/**
 * A page cursor: the last id of the previous page, so an id's characters only. Anything else
 * is refused rather than read as "after everything", which a client would take for the end.
 */
export const Cursor = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "is not a cursor this server hands out: pass the nextCursor of the previous page unchanged, or leave it out for the first page");

/** Cursor pagination: `limit` items after `cursor` (the last id of the previous page). */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: Cursor.optional(),
});

/** A page of items; `nextCursor` is null on the last page. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParams = z.strictObject({ id: z.string().min(1).max(256) });

export const Empty = z.object({});

export const Role = z.enum(["read", "write", "admin"]);
export type Role = z.infer<typeof Role>;

/** Hooks: shell commands run around each phase of a run, in order. */
export const Hooks = z.strictObject({
  beforeInit: z.array(z.string()).default([]),
  afterInit: z.array(z.string()).default([]),
  beforePlan: z.array(z.string()).default([]),
  afterPlan: z.array(z.string()).default([]),
  beforeApply: z.array(z.string()).default([]),
  afterApply: z.array(z.string()).default([]),
  beforeDestroy: z.array(z.string()).default([]),
  afterDestroy: z.array(z.string()).default([]),
  beforePerform: z.array(z.string()).default([]),
  afterPerform: z.array(z.string()).default([]),
  afterRun: z.array(z.string()).default([]),
});
export type Hooks = z.infer<typeof Hooks>;
export const hookNames = Object.keys(Hooks.shape) as (keyof Hooks)[];
