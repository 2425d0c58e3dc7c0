import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { IdParams, page } from "./schemas/common.js";
import { Stack } from "./schemas/stack.js";
import { ImportState, StateVersion, StateVersionContent, StateVersionParams } from "./schemas/state.js";
import { CreateLocalPreview, CreateRun, LockStack, PolicyExplainQuery, PolicyExplanation, ReviewRun, Run, RunDetail, RunListQuery, RunLogQuery, RunLogs, RunPolicyParams } from "./schemas/run.js";
import {
  AppendLogs, ClaimedJob, ClaimRun, CreatedWorkerPool, CreateWorkerPool, Heartbeat, HeartbeatAnswer, PlanDecision, RegisteredWorker,
  RegisterWorker, ReportChanges, ReportLockedProviders, ReportModules, ReportOutputs, ReportPlan, ReportPlanJson, ReportTransition, RunIdParams, TransitionAnswer, Worker, WorkerParams, WorkerPool, WorkerPoolToken,
} from "./schemas/worker.js";

const read = { kind: "space", role: "read" } as const;
const write = { kind: "space", role: "write" } as const;
const admin = { kind: "space", role: "admin" } as const;
const authenticated = { kind: "authenticated" } as const;

/**
 * Endpoints of the run engine for people and tools: runs, their logs, stack locks, worker pools.
 * Roles are checked on the space of the run's stack (or of the pool).
 */
export const runEndpoints = {
  createRun: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/runs", tag: "runs", summary: "trigger a run (TRACKED, PROPOSED, TASK or DESTROY) of the stack's branch or a commit", access: write, params: IdParams, body: CreateRun, response: Run, status: 201 }),
  createLocalPreview: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/local-preview", tag: "runs", summary: "a proposed run of uploaded code (stacks with enableLocalPreview)", access: write, params: IdParams, body: CreateLocalPreview, response: Run, status: 201, bodyLimit: 48 * 1024 * 1024 }),
  listStackRuns: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/runs", tag: "runs", summary: "runs of a stack, newest first", access: read, params: IdParams, query: RunListQuery, response: page(Run) }),
  getRun: endpoint({ method: "GET", path: "/api/v1/runs/{id}", tag: "runs", summary: "a run with its transition history", access: read, params: IdParams, response: RunDetail }),
  confirmRun: endpoint({ method: "POST", path: "/api/v1/runs/{id}/confirm", tag: "runs", summary: "confirm an UNCONFIRMED run so it applies", access: write, params: IdParams, response: Run }),
  discardRun: endpoint({ method: "POST", path: "/api/v1/runs/{id}/discard", tag: "runs", summary: "discard an UNCONFIRMED or PENDING_REVIEW run", access: write, params: IdParams, response: Run }),
  cancelRun: endpoint({ method: "POST", path: "/api/v1/runs/{id}/cancel", tag: "runs", summary: "cancel a run that has not started (QUEUED or READY)", access: write, params: IdParams, response: Run }),
  stopRun: endpoint({ method: "POST", path: "/api/v1/runs/{id}/stop", tag: "runs", summary: "stop a run that a worker is executing", access: write, params: IdParams, response: Run }),
  retryRun: endpoint({ method: "POST", path: "/api/v1/runs/{id}/retry", tag: "runs", summary: "trigger a new run of the same type and commit as a failed, stopped, canceled or discarded one", access: write, params: IdParams, response: Run, status: 201 }),
  reviewRun: endpoint({ method: "POST", path: "/api/v1/runs/{id}/review", tag: "runs", summary: "approve or reject a run; APPROVAL policies are evaluated again with the reviews", access: write, params: IdParams, body: ReviewRun, response: Run }),
  explainRunPolicy: endpoint({ method: "GET", path: "/api/v1/runs/{id}/policies/{policyId}/explain", tag: "runs", summary: "OPA's evaluation trace (opa eval --explain) of a policy over the input its latest receipt on the run recorded", access: read, params: RunPolicyParams, query: PolicyExplainQuery, response: PolicyExplanation }),
  runLogs: endpoint({ method: "GET", path: "/api/v1/runs/{id}/logs", tag: "runs", summary: "stored log entries of a run (secrets masked); live: GET /api/v1/runs/{id}/logs/stream (SSE)", access: read, params: IdParams, query: RunLogQuery, response: RunLogs }),

  lockStack: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/lock", tag: "stacks", summary: "lock a stack: only the lock owner can trigger runs", access: write, params: IdParams, body: LockStack, response: Stack }),
  unlockStack: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/lock", tag: "stacks", summary: "unlock a stack (the owner, or an admin of its space)", access: write, params: IdParams, response: Stack }),

  listStateVersions: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/state-versions", tag: "state", summary: "versions of the stack's managed state, newest first (admin: state holds secrets)", access: admin, params: IdParams, response: z.object({ items: z.array(StateVersion) }) }),
  getStateVersion: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/state-versions/{versionId}", tag: "state", summary: "download one state version", access: admin, params: StateVersionParams, response: StateVersionContent }),
  importState: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/state-versions/import", tag: "state", summary: "make an existing terraform state file the stack's current version, lineage kept (write; another lineage or an older serial only with force, admin)", access: write, params: IdParams, body: ImportState, response: StateVersion, status: 201, bodyLimit: 256 * 1024 * 1024 }),
  rollbackState: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/state-versions/{versionId}/rollback", tag: "state", summary: "make an old version current again (stack locked by you, no pending runs)", access: admin, params: StateVersionParams, response: StateVersion, status: 201 }),

  listWorkerPools: endpoint({ method: "GET", path: "/api/v1/worker-pools", tag: "workers", summary: "worker pools the caller can read", access: authenticated, response: z.object({ items: z.array(WorkerPool) }) }),
  getWorkerPool: endpoint({ method: "GET", path: "/api/v1/worker-pools/{id}", tag: "workers", summary: "a worker pool", access: read, params: IdParams, response: WorkerPool }),
  createWorkerPool: endpoint({ method: "POST", path: "/api/v1/worker-pools", tag: "workers", summary: "create a private worker pool; its token is shown once", access: admin, body: CreateWorkerPool, response: CreatedWorkerPool, status: 201 }),
  resetWorkerPoolToken: endpoint({ method: "POST", path: "/api/v1/worker-pools/{id}/token", tag: "workers", summary: "replace the pool's token (workers holding the old one are refused)", access: admin, params: IdParams, response: WorkerPoolToken }),
  deleteWorkerPool: endpoint({ method: "DELETE", path: "/api/v1/worker-pools/{id}", tag: "workers", summary: "delete a worker pool no stack uses", access: admin, params: IdParams, response: null, status: 204 }),
  listWorkers: endpoint({ method: "GET", path: "/api/v1/worker-pools/{id}/workers", tag: "workers", summary: "workers of a pool with their status", access: read, params: IdParams, response: z.object({ items: z.array(Worker) }) }),
};

const worker = { kind: "authenticated" } as const;

/**
 * The worker protocol, authenticated with a worker-pool token (`gwp_...`), never a user's key.
 * Served next to the API (not part of `endpoints`, since users cannot call it); artifacts
 * (plan file, workspace archive) travel as `application/octet-stream` on
 * `PUT|GET /api/v1/worker/runs/{id}/artifacts/{kind}`.
 */
export const workerEndpoints = {
  registerWorker: endpoint({ method: "POST", path: "/api/v1/worker/register", tag: "worker-protocol", summary: "a worker announces itself to its pool", access: worker, body: RegisterWorker, response: RegisteredWorker }),
  claimRun: endpoint({ method: "POST", path: "/api/v1/worker/{workerId}/claim", tag: "worker-protocol", summary: "long poll: the next run for the worker's pool, or null after waitMs", access: worker, params: WorkerParams, body: ClaimRun, response: ClaimedJob }),
  heartbeat: endpoint({ method: "POST", path: "/api/v1/worker/{workerId}/heartbeat", tag: "worker-protocol", summary: "the worker is alive; answers which runs it must stop", access: worker, params: WorkerParams, body: Heartbeat, response: HeartbeatAnswer }),
  reportTransition: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/transition", tag: "worker-protocol", summary: "the run moved to a new state", access: worker, params: RunIdParams, body: ReportTransition, response: TransitionAnswer }),
  reportPlan: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/plan", tag: "worker-protocol", summary: "the plan is ready; the server decides what comes next", access: worker, params: RunIdParams, body: ReportPlan, response: PlanDecision }),
  reportChanges: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/changes", tag: "worker-protocol", summary: "the plan has changes, its JSON follows: the run applies at once when nothing needs the JSON, else the answer is PLANNING", access: worker, params: RunIdParams, body: ReportChanges, response: PlanDecision }),
  reportPlanJson: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/plan-json", tag: "worker-protocol", summary: "the plan JSON and delta of a run that went on to apply before they were ready", access: worker, params: RunIdParams, body: ReportPlanJson, response: null, status: 204 }),
  reportOutputs: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/outputs", tag: "worker-protocol", summary: "non-sensitive outputs after a tracked apply", access: worker, params: RunIdParams, body: ReportOutputs, response: null, status: 204 }),
  reportModules: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/modules", tag: "worker-protocol", summary: "the registry modules terraform resolved at init: the stack's module consumers", access: worker, params: RunIdParams, body: ReportModules, response: null, status: 204 }),
  reportLockedProviders: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/locked-providers", tag: "worker-protocol", summary: "the provider versions the stack's lock file pins, before init: yanked ones stay listed to this run", access: worker, params: RunIdParams, body: ReportLockedProviders, response: null, status: 204 }),
  appendLogs: endpoint({ method: "POST", path: "/api/v1/worker/runs/{id}/logs", tag: "worker-protocol", summary: "append masked log text of a phase", access: worker, params: RunIdParams, body: AppendLogs, response: null, status: 204 }),
};
