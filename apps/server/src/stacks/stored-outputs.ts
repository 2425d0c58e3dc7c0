import type { Core } from "../core.js";
import { now } from "../db/rows.js";
import type { RunsTable } from "../db/schema.js";
import { secretValueMatcher } from "./secret-outputs.js";

type Db = Core["db"];

/** What binds a stack's stored outputs to their row: a ciphertext moved to another stack does not decrypt. */
export const stackOutputsContext = (stackId: string) => `stack_outputs:${stackId}`;

/**
 * Stores the outputs of a tracked run's state version for stack dependencies, encrypted like
 * state: outputs can carry what write-only variables flowed into. An output terraform marks
 * sensitive is left out, and so is one whose value holds a write-only value of the stack
 * (terraform does not know a TF_VAR_ from a write-only variable is secret): it is treated as
 * sensitive, as the worker's masking already treats it in the log.
 */
export async function storeStackOutputs(db: Db, box: Core["box"], run: RunsTable, outputs: Record<string, { value: unknown; sensitive?: boolean }>): Promise<void> {
  const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirstOrThrow();
  const holdsSecret = await secretValueMatcher(db, box, stack);
  const shown: Record<string, unknown> = Object.fromEntries(Object.entries(outputs).filter(([, o]) => !o.sensitive && !holdsSecret(o.value)).map(([k, o]) => [k, o.value]));
  // What moved since the row this one replaces: dependents of stacks without state versions are
  // triggered by it (dependencies/outputs.ts).
  const previous = await db.selectFrom("stack_outputs").select("outputs").where("stack_id", "=", run.stack_id).executeTakeFirst();
  const before = previous ? readStoredOutputs(box, run.stack_id, previous.outputs) : {};
  const changed = [...new Set([...Object.keys(shown), ...Object.keys(before)])].filter((k) => (k in shown) !== (k in before) || JSON.stringify(shown[k]) !== JSON.stringify(before[k])).sort();
  await db.deleteFrom("stack_outputs").where("stack_id", "=", run.stack_id).execute();
  await db.insertInto("stack_outputs").values({ stack_id: run.stack_id, run_id: run.id, outputs: box.encrypt(JSON.stringify(shown), stackOutputsContext(run.stack_id)), updated_at: now(), changed: JSON.stringify(changed) }).execute();
}

/**
 * The outputs stored for a stack (name to value), decrypted. Rows written before outputs were
 * encrypted hold plain JSON; they read as they are until the stack's next tracked run.
 */
export function readStoredOutputs(box: Core["box"], stackId: string, stored: string): Record<string, unknown> {
  const json = stored.trimStart().startsWith("{") ? stored : box.decrypt(stored, stackOutputsContext(stackId)).toString("utf8");
  return JSON.parse(json) as Record<string, unknown>;
}
