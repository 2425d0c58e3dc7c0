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
