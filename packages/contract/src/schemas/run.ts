import { z } from "zod";
import { Cursor, Timestamp } from "./common.js";
import { PolicyType } from "./policy.js";

/** Run types, as in Spacelift. PROPOSED runs only plan; the others are blocking. */
export const RunType = z.enum(["PROPOSED", "TRACKED", "TASK", "TESTING", "DESTROY"]);
export type RunType = z.infer<typeof RunType>;

/** Spacelift's run states. */
export const RunState = z.enum([
  "QUEUED", "READY", "PREPARING", "INITIALIZING", "PLANNING", "UNCONFIRMED", "CONFIRMED", "APPLYING", "PERFORMING",
  "DESTROYING", "PENDING_REVIEW", "FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED",
]);
export type RunState = z.infer<typeof RunState>;

/** States a run never leaves. */
export const terminalRunStates: readonly RunState[] = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];

/** Who or what caused a transition. */
export const TransitionCause = z.enum(["user", "scheduler", "worker", "policy", "reaper"]);
export type TransitionCause = z.infer<typeof TransitionCause>;

export const RunCommit = z.object({
  sha: z.string().nullable().describe("the resolved commit; null until a worker resolved the branch"),
  branch: z.string(),
  message: z.string().nullable(),
  author: z.string().nullable(),
});

/** Where a run's code comes from: the stack's repository, or an archive a person uploaded (local preview). */
export const RunSource = z.enum(["git", "upload"]);
export type RunSource = z.infer<typeof RunSource>;

/** What a plan changes: resources added, changed in place and deleted, and outputs added, changed or removed. */
export const RunDelta = z.object({
  added: z.number().int(),
  changed: z.number().int(),
  deleted: z.number().int(),
  outputs: z.number().int().default(0).describe("root module outputs the plan adds, changes or removes: a change like any other, applied"),
});
export type RunDelta = z.infer<typeof RunDelta>;

export const Run = z.object({
  id: z.string(),
  stackId: z.string(),
  type: RunType,
  state: RunState,
  blocking: z.boolean().describe("blocking runs of a stack run one at a time, first in first out"),
  commit: RunCommit,
  command: z.string().nullable().describe("TASK runs: the command to perform"),
  source: RunSource,
  pullRequest: z.number().int().nullable().describe("the pull request a run from a VCS event belongs to"),
  prioritized: z.boolean().describe("a push policy said prioritize: workers of the pool take it before other runs"),
  driftDetection: z.boolean().describe("a PROPOSED run started by drift detection (a schedule or drift-check)"),
  triggeredBy: z.string(),
  triggeredByRun: z.string().nullable().optional().describe("the run whose TRIGGER policies created this run"),
  triggerChain: z.array(z.string()).optional().describe("stacks the trigger chain came through, the origin first: a stack already in it is not triggered again"),
  workerId: z.string().nullable(),
  failureReason: z.string().nullable(),
  delta: RunDelta.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Run = z.infer<typeof Run>;

export const RunTransition = z.object({
  from: RunState.nullable(),
  to: RunState,
  cause: TransitionCause,
  actor: z.string(),
  note: z.string().nullable(),
  at: Timestamp,
});
export type RunTransition = z.infer<typeof RunTransition>;

/** What one policy said about a run. The input it saw is kept on the server for simulation. */
export const PolicyReceipt = z.object({
  id: z.string(),
  policyId: z.string(),
  policyName: z.string(),
  type: PolicyType,
  outcome: z.string().describe("the first rule with messages (deny, warn, approve, reject), else allow (undecided for APPROVAL), or error"),
  messages: z.record(z.string(), z.array(z.string())).describe("messages per rule"),
  policyVersion: z.string().nullable().describe("content hash of the policy body that decided (see Policy.version); null on receipts older than versions"),
  at: Timestamp,
});
export type PolicyReceipt = z.infer<typeof PolicyReceipt>;

/** A person's review of a run, kept with the state the run was in (approval policies read reviews per state). */
export const RunReview = z.object({
  author: z.string(),
  decision: z.enum(["approve", "reject"]),
  state: RunState.describe("the run's state when the review was given"),
  note: z.string().nullable(),
  at: Timestamp,
});
export type RunReview = z.infer<typeof RunReview>;

/** What one APPROVAL policy decided last about the run. */
export const ApprovalDecision = z.object({
  policyId: z.string(),
  policyName: z.string(),
  outcome: z.string().describe("approve, reject, undecided (neither: the run waits for more reviews) or error (fails closed: a rejection)"),
  messages: z.record(z.string(), z.array(z.string())),
  at: Timestamp,
});
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

/** Why a run is not moving, and what a person can do about it. */
export const RunWait = z.object({
  reason: z.string(),
  next: z.string().describe("what unblocks it, as commands"),
});
export type RunWait = z.infer<typeof RunWait>;

/** A run with its transition history and policy receipts. */
export const RunDetail = Run.extend({
  history: z.array(RunTransition),
  policyReceipts: z.array(PolicyReceipt),
  reviews: z.array(RunReview).default([]).describe("reviews, oldest first"),
  approvals: z.array(ApprovalDecision).default([]).describe("the latest decision of each APPROVAL policy that evaluated the run"),
  waiting: RunWait.nullable().default(null).describe("why the run waits (held by approval policies, for dependencies, behind the stack's blocking run, for confirmation or review); null when it is not waiting"),
  waitingForDependencies: z.string().nullable().optional().describe("why a QUEUED run waits: the upstream stacks with a blocking run in progress"),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const CreateRun = z
  .strictObject({
    type: z.enum(["PROPOSED", "TRACKED", "TASK", "DESTROY"]).default("TRACKED"),
    commitSha: z.string().regex(/^[0-9a-f]{4,64}$/, "must be a hexadecimal commit sha").optional().describe("defaults to the head of the stack's branch"),
    command: z.string().min(1).max(10_000).optional().describe("TASK runs: the shell command to perform"),
  })
  .refine((r) => (r.type === "TASK") === (r.command !== undefined), { message: "command is required for TASK runs and only allowed for them", path: ["command"] });
export type CreateRun = z.input<typeof CreateRun>;

/** Largest local-preview archive accepted (compressed), before base64. */
export const MAX_LOCAL_PREVIEW_BYTES = 32 * 1024 * 1024;

/** A proposed run of code uploaded from a person's machine (`gantry stack local-preview`). */
export const CreateLocalPreview = z.strictObject({
  archiveBase64: z
    .string()
    .min(1)
    .max(Math.ceil(MAX_LOCAL_PREVIEW_BYTES / 3) * 4, `the archive is larger than ${MAX_LOCAL_PREVIEW_BYTES / 1024 / 1024} MiB: add large files to .terraformignore`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64")
    .describe("a gzipped tar of the working directory (paths relative to the repository root)"),
  message: z.string().max(1000).optional().describe("shown as the run's commit message"),
});
export type CreateLocalPreview = z.input<typeof CreateLocalPreview>;

export const RunListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: Cursor.optional().describe("the last run id of the previous page (runs come newest first)"),
});

export const ReviewRun = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  note: z.string().max(2000).optional(),
});

export const LockStack = z.strictObject({ note: z.string().max(1000).optional() });

export const RunLogEntry = z.object({ seq: z.number().int(), phase: z.string(), text: z.string(), at: Timestamp });
export type RunLogEntry = z.infer<typeof RunLogEntry>;
export const RunLogQuery = z.strictObject({ after: z.coerce.number().int().min(0).default(0).describe("only entries with a larger seq") });
export const RunLogs = z.object({ entries: z.array(RunLogEntry), finished: z.boolean().describe("the run is terminal: no more entries will come") });

/** `GET /runs/{id}/policies/{policyId}/explain`: which run and which of its policies. */
export const RunPolicyParams = z.strictObject({ id: z.string().min(1).max(256), policyId: z.string().min(1).max(256) });
/** OPA's explain modes: every event, the `trace()` notes, or the failures (each with the rules leading to it). */
export const ExplainMode = z.enum(["full", "debug", "notes", "fails"]);
export const PolicyExplainQuery = z.strictObject({
  mode: ExplainMode.default("full").describe("full, debug, notes or fails (as opa eval --explain: full is every step but unifications, debug every step)"),
  body: z.enum(["decided", "current"]).default("decided").describe("decided: the body that decided the run (when Gantry kept it, else the current one); current: the policy's body now, to see what an edit would have said"),
});
/** The trace of a policy over the input its latest receipt on the run recorded. */
export const PolicyExplanation = z.object({
  runId: z.string(),
  policyId: z.string(),
  policyName: z.string(),
  type: PolicyType,
  receiptId: z.string(),
  outcome: z.string().describe("what the policy decided when the run evaluated it"),
  evaluatedAt: Timestamp,
  mode: ExplainMode,
  trace: z.string().describe("opa eval --explain <mode> --format pretty's trace of the policy's body (tracedVersion) over the recorded input"),
  decidingVersion: z.string().nullable().describe("the version (content hash) of the body that decided, from the receipt; null on receipts made before Gantry recorded versions"),
  body: z.enum(["decided", "current"]).describe("the body asked for"),
  tracedVersion: z.string().describe("the version of the body traced: with body=decided, the deciding one when Gantry kept it, else the policy's current body"),
});
export type PolicyExplanation = z.infer<typeof PolicyExplanation>;
