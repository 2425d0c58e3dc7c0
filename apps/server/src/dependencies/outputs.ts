import type { Db } from "../db/connect.js";
import { readStoredOutputs } from "../stacks/stored-outputs.js";
import { secretValueMatcher } from "../stacks/secret-outputs.js";
import type { BlobStore } from "../runs/blob-store.js";

/** One output of a stack's applied state. */
export interface StackOutput {
  value: unknown;
  sensitive: boolean;
}

/** The outputs of a stack's latest applied state and the run that wrote them. */
export interface AppliedOutputs {
  runId: string | null;
  outputs: Record<string, StackOutput>;
}

type StateDocument = { outputs?: Record<string, { value: unknown; sensitive?: boolean }> };

function fromState(blob: Buffer): Record<string, StackOutput> {
  const doc = JSON.parse(blob.toString("utf8")) as StateDocument;
  return Object.fromEntries(Object.entries(doc.outputs ?? {}).map(([k, o]) => [k, { value: o.value, sensitive: o.sensitive === true }]));
}

/**
 * THE way this module reads a stack's outputs: from its latest state version (managed state;
 * encrypted at rest in the blob store, sensitive outputs included, since a reference may pass
 * one on), else from `stack_outputs` (stacks with their own backend report their non-sensitive
 * outputs after each tracked apply). Null when the stack has never applied.
 */
export async function readAppliedOutputs(db: Db, blobs: BlobStore, stackId: string): Promise<AppliedOutputs | null> {
  const applied = await readOutputsAsStored(db, blobs, stackId);
  if (!applied) return null;
  // An output holding a write-only value is sensitive whatever terraform says: masked in the
  // API, and passed to dependents as a secret (masked in their logs too).
  const stack = await db.selectFrom("stacks").selectAll().where("id", "=", stackId).executeTakeFirst();
  if (!stack) return applied;
  const holdsSecret = await secretValueMatcher(db, blobs.box, stack);
  for (const o of Object.values(applied.outputs)) if (!o.sensitive && holdsSecret(o.value)) o.sensitive = true;
  return applied;
}

async function readOutputsAsStored(db: Db, blobs: BlobStore, stackId: string): Promise<AppliedOutputs | null> {
  const version = await db.selectFrom("state_versions").select(["blob_id", "run_id"]).where("stack_id", "=", stackId).orderBy("id", "desc").limit(1).executeTakeFirst();
  if (version) {
    const blob = await blobs.byId(db, version.blob_id);
    if (blob) return { runId: version.run_id, outputs: fromState(blob) };
  }
  const row = await db.selectFrom("stack_outputs").select(["run_id", "outputs"]).where("stack_id", "=", stackId).executeTakeFirst();
  if (!row) return null;
  const plain = readStoredOutputs(blobs.box, stackId, row.outputs);
  return { runId: row.run_id, outputs: Object.fromEntries(Object.entries(plain).map(([k, value]) => [k, { value, sensitive: false }])) };
}

/**
 * Which outputs a run changed (added, removed or with a new value): its state version's outputs
 * against the version before it; for a stack without state versions, the outputs it reported
 * against those reported before. A run that wrote neither changed nothing.
 */
export async function outputsChangedByRun(db: Db, blobs: BlobStore, stackId: string, runId: string): Promise<string[]> {
  // Versions are ordered by id (ULIDs in write order), as the state backend reads them.
  const mine = await db.selectFrom("state_versions").select(["id", "blob_id"]).where("stack_id", "=", stackId).where("run_id", "=", runId).orderBy("id", "desc").limit(1).executeTakeFirst();
  if (!mine) {
    // No managed state (Kubernetes, Ansible, terraform with its own backend): the outputs the
    // worker reported after the apply, compared when they were stored.
    const reported = await db.selectFrom("stack_outputs").select("changed").where("stack_id", "=", stackId).where("run_id", "=", runId).executeTakeFirst();
    return reported ? (JSON.parse(reported.changed) as string[]) : [];
  }
  const first = await db.selectFrom("state_versions").select("id").where("stack_id", "=", stackId).where("run_id", "=", runId).orderBy("id").limit(1).executeTakeFirst();
  const before = await db.selectFrom("state_versions").select("blob_id").where("stack_id", "=", stackId).where("id", "<", first!.id).orderBy("id", "desc").limit(1).executeTakeFirst();
  const now = fromState((await blobs.byId(db, mine.blob_id))!);
  const then = before ? fromState((await blobs.byId(db, before.blob_id))!) : {};
  const names = [...new Set([...Object.keys(now), ...Object.keys(then)])];
  return names.filter((n) => JSON.stringify(now[n]?.value) !== JSON.stringify(then[n]?.value) || (n in now) !== (n in then));
}
