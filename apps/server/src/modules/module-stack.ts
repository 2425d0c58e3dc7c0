import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";
import type { ModulesTable, StacksTable } from "../db/schema.js";
import { deleteStackRows } from "../stacks/repository.js";

/**
 * The id of the stack row that hosts a module's TESTING runs. `:` is never in a stack slug, so it
 * cannot clash with a real stack.
 */
export const moduleStackId = (moduleId: string): string => `module:${moduleId}`;

/** Whether a stack row is a module's test host rather than a stack people made. */
export const isModuleStack = (s: Pick<StacksTable, "module_id">): boolean => Boolean(s.module_id);

/**
 * The module seen as a stack, which is how Spacelift runs a module's tests: its TESTING runs, the
 * contexts and policies attached to it (directly or by label) and its worker pool all hang off
 * this row, so the run engine, the worker protocol and attachment resolution work unchanged.
 * Tests keep their state in the run's workspace (no managed state): a test run applies and
 * destroys on one worker in one go.
 */
function hostColumns(m: ModulesTable): Omit<StacksTable, "id" | "locked_by" | "state" | "created_at"> {
  return {
    name: `module ${m.id}`, description: `test runs of module ${m.id}`, space_id: m.space_id, repository: m.repository, branch: m.branch,
    project_root: m.project_root, additional_project_globs: "[]", labels: m.labels, autodeploy: 1, autoretry: 0, administrative: 0, manage_state: 0,
    protect_from_deletion: 0, enable_local_preview: 0, workflow_tool: "TERRAFORM", terraform_version: null, hooks: "{}", worker_pool_id: m.worker_pool_id,
    module_id: m.id, updated_at: now(),
  };
}

/** Creates or refreshes the module's host stack from the module's settings, inside the caller's transaction. */
export async function syncModuleStack(trx: Db, m: ModulesTable): Promise<StacksTable> {
  const id = moduleStackId(m.id);
  const existing = await trx.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
  const cols = hostColumns(m);
  if (existing) {
    await trx.updateTable("stacks").set(cols).where("id", "=", id).execute();
    return { ...existing, ...cols };
  }
  const row: StacksTable = { id, ...cols, locked_by: null, state: "NONE", created_at: cols.updated_at };
  await trx.insertInto("stacks").values(row).execute();
  return row;
}

/** Removes the module's host stack with its runs, their blobs and its attachments (refused while a test run executes). */
export async function deleteModuleStack(trx: Db, moduleId: string): Promise<void> {
  await deleteStackRows(trx, moduleStackId(moduleId));
}
