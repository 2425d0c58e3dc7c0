import type { Hooks } from "@gantry/contract";
import { explainStack } from "../attachments/resolve.js";
import type { Db } from "../db/connect.js";
import { parseJson } from "../db/rows.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { DEFAULT_POOL } from "./pool.js";
import type { RunChange } from "./run-changes.js";

/** Spacelift's timestamps in policy inputs are Unix nanoseconds. */
const ns = (iso: string): number => Date.parse(iso) * 1e6;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** What the documents need beyond the run and stack rows: the stack's space, pool and contexts. */
export interface DocumentContext {
  space: { id: string; name: string; labels: string[] };
  pool: { id: string | null; name: string | null; public: boolean };
  contexts: string[];
}

/** Reads the {@link DocumentContext} of a stack. */
export async function documentContext(db: Db, stack: StacksTable): Promise<DocumentContext> {
  const space = await db.selectFrom("spaces").select(["id", "name", "labels"]).where("id", "=", stack.space_id).executeTakeFirst();
  const poolId = stack.worker_pool_id ?? DEFAULT_POOL;
  const pool = poolId === DEFAULT_POOL ? undefined : await db.selectFrom("worker_pools").select(["id", "name"]).where("id", "=", poolId).executeTakeFirst();
  return {
    space: { id: stack.space_id, name: space?.name ?? stack.space_id, labels: space ? parseJson<string[]>(space.labels) : [] },
    pool: pool ? { id: pool.id, name: pool.name, public: false } : { id: null, name: null, public: true },
    contexts: (await explainStack(db, stack)).contexts.map((c) => c.id),
  };
}

/** Spacelift's `commit` document of a run (what Gantry knows of it). */
export function commitDocument(run: RunsTable) {
  return {
    hash: run.commit_sha ?? "", branch: run.commit_branch, message: run.commit_message ?? "", author: run.commit_author ?? "",
    created_at: 0, exist_on_tracked_branch: true, pull_request_id: run.pull_request ?? 0, tag: "", url: "",
  };
}

/**
 * Spacelift's `run` document: identity, commit, the stack's runtime configuration and creator.
 * `changes` (see run-changes.ts) are known where the plan is at hand: plan policies pass them.
 */
export function runDocument(run: RunsTable, stack: StacksTable, changes: RunChange[] = []) {
  const hooks = parseJson<Partial<Hooks>>(stack.hooks);
  const runtime: Record<string, unknown> = { project_root: stack.project_root, terraform_version: stack.terraform_version ?? "", runner_image: "", environment: {}, git_sparse_checkout_paths: [] };
  for (const [name, cmds] of Object.entries(hooks)) runtime[snake(name)] = cmds ?? [];
  return {
    id: run.id, type: run.type, state: run.state, branch: run.commit_branch, command: run.command ?? "", triggered_by: run.triggered_by,
    created_at: ns(run.created_at), updated_at: ns(run.updated_at), based_on_local_workspace: run.source === "upload", drift_detection: run.drift_detection === 1,
    commit: commitDocument(run), changes, flags: [], user_provided_metadata: [], runtime_config: runtime,
    creator_session: { login: run.triggered_by, name: run.triggered_by, machine: false, admin: false, member: true, teams: [], account_name: "", creator_ip: "", stack_id: "" },
  };
}

/** The columns `input.stack` is made from: enough for access decisions without the whole row. */
export const STACK_DOCUMENT_COLUMNS = [
  "id", "name", "space_id", "branch", "labels", "autodeploy", "administrative", "locked_by", "project_root",
  "repository", "state", "terraform_version", "workflow_tool", "worker_pool_id",
] as const satisfies readonly (keyof StacksTable)[];
export type StackDocumentRow = Pick<StacksTable, (typeof STACK_DOCUMENT_COLUMNS)[number]>;

/** Spacelift's `stack` document. */
export function stackDocument(stack: StackDocumentRow, ctx: DocumentContext) {
  return {
    id: stack.id, name: stack.name, space: ctx.space, branch: stack.branch, labels: parseJson<string[]>(stack.labels), autodeploy: stack.autodeploy === 1,
    administrative: stack.administrative === 1, locked_by: stack.locked_by, project_root: stack.project_root, repository: stack.repository,
    state: stack.state, namespace: "", terraform_version: stack.terraform_version, terraform_workflow_tool: stack.workflow_tool,
    additional_project_globs: [], contexts: ctx.contexts, worker_pool: { ...ctx.pool, labels: [] }, tracked_commit: null,
  };
}

/** `request` as Spacelift sends it with policy inputs: when the evaluation happened. */
export const requestDocument = () => ({ remote_ip: "", timestamp_ns: Date.now() * 1e6 });

/**
 * The last tracked run of the stack that ended before this one was created, for the plan
 * policy's `previous_run` (null when there is none).
 */
export async function previousRun(db: Db, run: RunsTable): Promise<RunsTable | undefined> {
  return db
    .selectFrom("runs").selectAll()
    .where("stack_id", "=", run.stack_id).where("type", "=", "TRACKED").where("id", "<", run.id)
    .where("state", "in", ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"])
    .orderBy("id", "desc").limit(1).executeTakeFirst();
}

/** Spacelift's TASK policy input: `request` (with the command), `session` (who asked) and `stack`. */
export function taskPolicyInput(run: RunsTable, stack: ReturnType<typeof stackDocument>) {
  return {
    request: { ...requestDocument(), command: run.command ?? "" },
    session: { login: run.triggered_by, name: run.triggered_by, machine: false, admin: false, member: true, teams: [], account_name: "", creator_ip: "", stack_id: "" },
    stack,
  };
}
