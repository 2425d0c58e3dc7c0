import { z } from "zod";
import { Timestamp } from "./common.js";

/** One write of a stack's managed state: every write is a new version. */
export const StateVersion = z.object({
  id: z.string(),
  stackId: z.string(),
  serial: z.number().int(),
  lineage: z.string(),
  runId: z.string().nullable().describe("the run that wrote it; null for a rollback or a person's write"),
  size: z.number().int(),
  createdAt: Timestamp,
});
export type StateVersion = z.infer<typeof StateVersion>;

export const StateVersionParams = z.strictObject({ id: z.string().min(1), versionId: z.string().min(1) });
/** A version with its content (the full terraform state document). */
export const StateVersionContent = z.object({ version: StateVersion, state: z.unknown() });

/** `POST /stacks/{id}/state-versions/import`: an existing terraform state becomes the stack's current version. */
export const ImportState = z.strictObject({
  state: z
    .object({ version: z.number().int(), serial: z.number().int().min(0), lineage: z.string().min(1) })
    .passthrough()
    .describe("the full terraform state document (format version 4), e.g. from `terraform state pull`, S3 or Spacelift's state download"),
  force: z.boolean().default(false).describe("replace a state of another lineage, or one with a newer serial (admin on the stack)"),
});
export type ImportState = z.input<typeof ImportState>;
