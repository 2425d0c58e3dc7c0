import { z } from "zod";
import { Timestamp } from "./common.js";

export const AttachableKind = z.enum(["context", "policy", "aws_integration"]);
export type AttachableKind = z.infer<typeof AttachableKind>;

/** A direct attachment of a context, policy or integration to a stack. */
export const Attachment = z.object({
  stackId: z.string(),
  kind: AttachableKind,
  entityId: z.string(),
  priority: z.number().int().describe("contexts: 0 is the highest precedence"),
  read: z.boolean().describe("integrations: used for proposed runs"),
  write: z.boolean().describe("integrations: used for tracked runs"),
  createdAt: Timestamp,
});
export type Attachment = z.infer<typeof Attachment>;

export const AttachContextBody = z.strictObject({ priority: z.number().int().min(0).max(1000).default(0) });
export const AttachIntegrationBody = z.strictObject({ read: z.boolean().default(true), write: z.boolean().default(true) });

export const StackEntityParams = z.strictObject({ id: z.string().min(1), entityId: z.string().min(1) });

/** Why an entity applies to a stack. */
export const AttachmentReason = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("direct"), priority: z.number().int() }),
  z.object({
    kind: z.literal("label"),
    label: z.string().describe("the entity's autoattach label that matched"),
    stackLabel: z.string().nullable().describe("the stack label it matched; null for autoattach:*"),
  }),
]);
export type AttachmentReason = z.infer<typeof AttachmentReason>;

export const AppliedEntity = z.object({
  kind: AttachableKind,
  id: z.string(),
  name: z.string(),
  spaceId: z.string(),
  /** The chain of spaces from the stack's space up to the entity's space. */
  throughSpaces: z.array(z.string()),
  reasons: z.array(AttachmentReason),
  order: z.number().int().nullable().describe("contexts: precedence, 1 wins over 2 where both set the same variable or file"),
  type: z.string().nullable().describe("policies: the policy type"),
});
export type AppliedEntity = z.infer<typeof AppliedEntity>;

export const StackExplanation = z.object({
  stackId: z.string(),
  spaceId: z.string(),
  contexts: z.array(AppliedEntity),
  policies: z.array(AppliedEntity),
  integrations: z.array(AppliedEntity),
  /**
   * Near misses, for a person wondering why something does not apply: an entity in reach with
   * `autoattach:X` labels none of which the stack carries, and stack labels of the form
   * `autoattach:*` (which only mean something on policies and contexts).
   */
  hints: z.array(z.object({ kind: z.enum(["unmatched_autoattach", "autoattach_label_on_stack"]), entityId: z.string().nullable(), message: z.string() })).optional(),
});
export type StackExplanation = z.infer<typeof StackExplanation>;
