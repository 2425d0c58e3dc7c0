import { z } from "zod";

/** Lowercase slug used as the id of stacks, contexts, policies and spaces. */
export const Slug = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a lowercase slug: letters, digits, '-' and '_', starting with a letter or digit");

/**
 * Control characters and bidirectional formatting characters (U+202E RIGHT-TO-LEFT OVERRIDE,
 * isolates, marks) let a name display as something else in a table or the audit trail, so text
 * people read is refused when it has them. Descriptions may keep tabs and line breaks.
 */
// Matching control characters is the point of these two patterns.
// eslint-disable-next-line no-control-regex
const hidden = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex
const hiddenInText = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Refuses hidden characters, naming the first one and its position (1-based, in characters). */
export function withoutHiddenCharacters<T extends z.ZodString>(s: T, multiline = false) {
  const pattern = multiline ? hiddenInText : hidden;
  return s.superRefine((value, ctx) => {
    const chars = [...value];
    const at = chars.findIndex((c) => pattern.test(c));
    if (at < 0) return;
    const code = chars[at]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    ctx.addIssue({ code: "custom", message: `must not contain control or bidirectional formatting characters: U+${code} at position ${at + 1}; remove it` });
  });
}

/** Free-form labels; `autoattach:<label>` and `autoattach:*` have meaning on attachable entities. */
export const Labels = z.array(withoutHiddenCharacters(z.string().min(1).max(255).regex(/^\S(.*\S)?$/, "must not start or end with white space"))).max(100);

/** A display name. Not trimmed silently: a stored value must equal what was sent (Terraform checks). */
export const Name = withoutHiddenCharacters(z.string().min(1, "must not be empty").max(255).regex(/^\S(.*\S)?$/s, "must not start or end with white space"));
export const Description = withoutHiddenCharacters(z.string().max(10_000), true);
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
