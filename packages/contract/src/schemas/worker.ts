import { z } from "zod";
import { Description, Hooks, Name, Slug, Timestamp } from "./common.js";
import { RunDelta, RunSource, RunState, RunType } from "./run.js";
import { WorkflowTool } from "./stack.js";
import { AnsibleSettings, KubernetesSettings, Vendor } from "./vendor.js";

export const WorkerPool = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  spaceId: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WorkerPool = z.infer<typeof WorkerPool>;

export const CreateWorkerPool = z.strictObject({
  id: Slug.optional(),
  name: Name,
  description: Description.default(""),
  spaceId: z.string().min(1).default("root"),
});
/** The pool token is in this answer only; Gantry keeps a hash. */
export const CreatedWorkerPool = z.object({ pool: WorkerPool, token: z.string() });
export const WorkerPoolToken = z.object({ token: z.string() });

export const WorkerStatus = z.enum(["IDLE", "BUSY", "DRAINED", "GONE"]);
export const Worker = z.object({
  id: z.string(),
  poolId: z.string(),
  name: z.string(),
  status: WorkerStatus,
  currentRunId: z.string().nullable(),
  lastHeartbeatAt: Timestamp,
  createdAt: Timestamp,
});
export type Worker = z.infer<typeof Worker>;

// ---- The worker protocol: what a worker (pool token) exchanges with the server. ----

export const RegisterWorker = z.strictObject({ name: z.string().min(1).max(255) });
export const RegisteredWorker = z.object({ workerId: z.string(), heartbeatIntervalMs: z.number().int() });
export const WorkerParams = z.strictObject({ workerId: z.string().min(1) });
export const ClaimRun = z.strictObject({ waitMs: z.number().int().min(0).max(60_000).default(25_000) });

/** An environment variable or mounted file handed to a run; `secret` ones are masked in logs. */
export const JobVariable = z.object({ name: z.string(), value: z.string(), secret: z.boolean() });
export const JobFile = z.object({ relativePath: z.string(), contentBase64: z.string(), secret: z.boolean() });

/** How a run gets AWS credentials from its attached integration (the role is assumed with the run's OIDC token). */
export const JobAwsCredentials = z.object({
  integrationId: z.string(),
  roleArn: z.string(),
  sessionName: z.string().describe("the run id: it shows in CloudTrail as the assumed-role session"),
  region: z.string().nullable(),
  durationSeconds: z.number().int(),
  generateCredentialsInWorker: z.boolean(),
  scope: z.enum(["read", "write"]),
  note: z.string().nullable().describe("why this integration was chosen when several apply"),
});
export type JobAwsCredentials = z.infer<typeof JobAwsCredentials>;

/** Everything a worker needs to run one phase of a run, handed over at claim time. */
/** How a run reaches Gantry's registry: terraform trusts `caCertificatePem` and sends the run token to every host. */
export const JobRegistry = z.object({
  hosts: z.array(z.string()).describe("registry hostnames source addresses may use: the registry host first, then aliases (e.g. spacelift.io)"),
  serviceUrl: z.string().describe("HTTPS base URL of the registry (discovery is skipped for aliases through CLI-config host blocks)"),
  caCertificatePem: z.string().nullable().describe("the local CA Gantry made for its certificate; null when the certificate is publicly trusted"),
  providerSources: z.array(z.string()).default([]).describe("provider address patterns (`<host>/<namespace>/*`, or one exact address for a shipped provider on a public registry host such as `registry.terraform.io/spacelift-io/spacelift`) the stack may install from Gantry's network mirror (`<serviceUrl>/v1/mirror/`)"),
});
export type JobRegistry = z.infer<typeof JobRegistry>;

export const Job = z.object({
  runId: z.string(),
  runType: RunType,
  /** "plan" starts from scratch; "apply" continues a confirmed run from its uploaded workspace. */
  phase: z.enum(["plan", "apply"]),
  stackId: z.string(),
  spaceId: z.string(),
  repository: z.string(),
  branch: z.string(),
  commitSha: z.string().nullable(),
  source: RunSource.describe("upload: the code is the run's `source` artifact (local preview), not a git commit"),
  projectRoot: z.string(),
  workflowTool: WorkflowTool,
  terraformVersion: z.string().nullable(),
  vendor: Vendor.default("TERRAFORM").describe("which adapter runs the phases (see docs/vendors.md)"),
  kubernetes: KubernetesSettings.nullable().default(null),
  ansible: AnsibleSettings.nullable().default(null),
  command: z.string().nullable(),
  hooks: Hooks,
  variables: z.array(JobVariable).describe("in precedence order: later entries win"),
  files: z.array(JobFile).describe("in precedence order: later entries win"),
  runToken: z.string().describe("short-lived credential of this run (state backend, artifacts); expires with the run"),
  stateBackend: z.object({ address: z.string(), lockAddress: z.string(), unlockAddress: z.string() }).nullable(),
  administrative: z.boolean().default(false).describe("the stack manages Gantry: the worker installs the Gantry provider and hands the run its API token"),
  apiToken: z.string().nullable().default(null).describe("administrative runs only: a public-API token (gra_...) with admin on the stack's space subtree, valid while this phase runs"),
  deadline: z
    .string()
    .datetime()
    .nullable()
    .default(null)
    .describe("when this phase must have ended (the server's run time limit); the worker ends it then if its own limit has not already, and the identity token expires no later"),
  oidcToken: z.string().nullable().default(null).describe("the run's OIDC identity token for this phase (a JWT); handed to the run as GANTRY_OIDC_TOKEN, SPACELIFT_OIDC_TOKEN and a token file, masked in logs"),
  aws: JobAwsCredentials.nullable().default(null).describe("the AWS integration that applies to this run's scope, if any"),
  registry: JobRegistry.nullable().default(null).describe("Gantry's module and provider registry, when the server serves HTTPS"),
  registryToken: z.string().nullable().default(null).describe("the run's registry token (grt_...): reads only the modules and providers the stack may use, and dies with the run; written into the run's CLI config instead of the run token"),
  moduleTest: z
    .object({ moduleId: z.string(), name: z.string(), configFile: z.string(), negative: z.boolean() })
    .nullable()
    .default(null)
    .describe("TESTING runs: the module test case this run checks (init, plan, apply, then always destroy)"),
  stackBranch: z.string().default("").describe("the branch the stack tracks (branch is the run's commit branch, another for a proposed run)"),
  stackLabels: z.array(z.string()).default([]),
  localPreview: z.boolean().default(false).describe("whether the stack allows local preview runs"),
  triggeredBy: z.string().nullable().default(null).describe("who or what started the run (a user, a git push, a policy, a schedule)"),
});
export type Job = z.infer<typeof Job>;
export const ClaimedJob = z.object({ job: Job.nullable() });

export const Heartbeat = z.strictObject({ runIds: z.array(z.string()).max(100).default([]) });
export const HeartbeatAnswer = z.object({ stopRunIds: z.array(z.string()).describe("runs the worker must stop: stopped, canceled or taken away") });

export const RunIdParams = z.strictObject({ id: z.string().min(1) });

/** Log text a worker still held when it reports: stored before the run moves (a terminal move closes the log). */
const TrailingLog = z.strictObject({ phase: z.string().min(1).max(64), text: z.string().max(4 * 1024 * 1024) });

/** A worker reports that its run moved to a new state (or failed, with a reason). */
export const ReportTransition = z.strictObject({
  to: RunState,
  note: z.string().max(10_000).optional(),
  commitSha: z.string().regex(/^[0-9a-f]{40,64}$/).optional().describe("the commit the worker resolved and checked out"),
  commitMessage: z.string().max(10_000).optional().describe("the resolved commit's subject line"),
  commitAuthor: z.string().max(500).optional().describe("the resolved commit's author name"),
  log: TrailingLog.optional().describe("the last log text, appended before the move (saves a round trip)"),
});

/** A worker reports the plan; the server decides what comes next. */
export const ReportPlan = z.strictObject({
  delta: RunDelta,
  planJson: z.string().max(64 * 1024 * 1024).nullable().describe("`show -json` of the saved plan"),
  log: TrailingLog.optional().describe("the last log text, appended before the decision (saves a round trip)"),
});
export const PlanDecision = z.object({ next: RunState, reason: z.string().nullable() });

/**
 * The plan has resource changes and its `show -json` is still being made: the server lets the
 * run apply at once when nothing needs the JSON to decide (no PLAN policy applies and the run
 * would autodeploy); otherwise it answers PLANNING and waits for {@link ReportPlan}.
 */
export const ReportChanges = z.strictObject({
  log: TrailingLog.optional().describe("the last log text, appended before the decision (saves a round trip)"),
});

/** The plan JSON and delta of a run that went on to apply before they were ready (see ReportChanges). */
export const ReportPlanJson = z.strictObject({
  delta: RunDelta,
  planJson: z.string().max(64 * 1024 * 1024).describe("`show -json` of the saved plan"),
});

export const AppendLogs = z.strictObject({ phase: z.string().min(1).max(64), text: z.string().max(4 * 1024 * 1024) });
export const ReportOutputs = z.strictObject({ outputs: z.record(z.string(), z.unknown()) });
/** The modules terraform resolved at init (`.terraform/modules/modules.json`), with each call's version constraint. */
export const ReportModules = z.strictObject({
  modules: z.array(z.strictObject({
    key: z.string().max(1024),
    source: z.string().max(2048),
    version: z.string().max(128),
    constraint: z.string().max(256).nullable(),
  })).max(1000),
});
/**
 * The provider versions the stack's `.terraform.lock.hcl` pins, read before init: the registry
 * still lists a yanked version to this run when its lock file pins it (terraform asks for the
 * version list even for a locked provider).
 */
export const ReportLockedProviders = z.strictObject({
  providers: z.array(z.strictObject({
    source: z.string().min(1).max(512).describe("the lock file's provider address, <host>/<namespace>/<type>"),
    version: z.string().min(1).max(128),
  })).max(1000),
});
export const TransitionAnswer = z.object({ state: RunState });
