import type { CreateLocalPreview, CreateRun, PolicyType, RunDetail, RunSource, RunState, RunType } from "@gantry/contract";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { stackAccess } from "../access/stack-access.js";
import type { Db } from "../db/connect.js";
import { now, parseJson } from "../db/rows.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { conflict, notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { checkSourceArchive } from "./source-archive.js";
import { DEFAULT_POOL } from "./pool.js";
import { explainStack } from "../attachments/resolve.js";
import type { Outbox, RunEngine } from "./engine.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import { settleApproval } from "./approval.js";
import { blockingRunAhead, loadRun, lockStackRow } from "./repository.js";
import { branchHeadOf, commitKey, runForCommitKey } from "./commit-key.js";
import { resolveRequestedCommit } from "./requested-commit.js";
import { setStackState } from "../stacks/repository.js";
import { runFromRow, transitionFromRow } from "./rows.js";
import { isBlocking, isTerminal, type RunEvent } from "./transitions.js";
import { newRunId } from "./ids.js";
import { waitReason } from "./wait-reason.js";
import { recordNotificationEvent } from "../notifications/events.js";

/** What a run created from a VCS event records beyond the commit sha (see vcs/ingest.ts). */
export interface VcsRunFacts { branch?: string; author?: string | null; pullRequest?: number | null; vcsKey?: string | null; prioritized?: boolean }

/** What a run created by a TRIGGER policy records (see triggers/service.ts). */
export interface TriggerFacts { triggeredByRun: string; triggerChain: string[]; triggerKey: string; note: string }


/** The worker pool that runs a stack's runs; stacks without one use the built-in pool. */
export { DEFAULT_POOL };

async function loadStack(db: Db, id: string): Promise<StacksTable> {
  const row = await db.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("stack", id);
  return row;
}

const retryable = new Set(["FAILED", "STOPPED", "CANCELED", "DISCARDED", "SKIPPED"]);

/**
 * Runs for people and tools: trigger, read, confirm, discard, cancel, stop, retry. `mirrorDir`
 * holds the bare git mirrors the server checks a requested commit in (see requested-commit.ts).
 */
export function runService(engine: RunEngine, policyEngine: PolicyEngine | undefined, opts: { mirrorDir: string }) {
  const { db } = engine.core;
  const access = stackAccess(engine.core);
  engine.settleQueuedApproval = (runId) => settleApproval(engine, policyEngine, runId);

  /** Inserts a QUEUED run and lets the scheduler promote it if it may start now. */
  async function enqueue(trx: Db, out: Outbox, actor: Principal, stack: StacksTable, spec: { type: RunType; commitSha: string | null; command: string | null; source?: RunSource; message?: string | null; driftDetection?: boolean; trigger?: TriggerFacts; note?: string } & VcsRunFacts) {
    if (stack.locked_by && stack.locked_by !== actor.id) {
      throw conflict(`stack ${JSON.stringify(stack.id)} is locked by ${stack.locked_by}: only the lock owner can trigger runs until it is unlocked`);
    }
    const at = now();
    const row: RunsTable = {
      id: newRunId(), stack_id: stack.id, pool_id: stack.worker_pool_id ?? DEFAULT_POOL, type: spec.type, state: "QUEUED",
      blocking: isBlocking(spec.type) ? 1 : 0, commit_sha: spec.commitSha, commit_branch: spec.branch ?? stack.branch, commit_message: spec.message ?? null, commit_author: spec.author ?? (spec.source === "upload" ? actor.name : null), source: spec.source ?? "git",
      ...(spec.vcsKey ? { vcs_key: spec.vcsKey, pull_request: spec.pullRequest ?? null } : {}),
      ...(spec.prioritized ? { prioritized: 1 } : {}),
      ...(spec.driftDetection ? { drift_detection: 1 } : {}),
      ...(spec.trigger ? { triggered_by_run: spec.trigger.triggeredByRun, trigger_chain: JSON.stringify(spec.trigger.triggerChain), trigger_key: spec.trigger.triggerKey } : {}),
      command: spec.command, triggered_by: actor.name, worker_id: null, token_hash: null, failure_reason: null, delta: null, created_at: at, updated_at: at,
    };
    // APPROVAL policies get their say in QUEUED: the run waits there until they approve.
    // Resolving what applies to the stack is the costliest step of queueing a run; most
    // installations have no APPROVAL policy at all, which one indexed look-up tells.
    const approvalPoliciesExist = (await trx.selectFrom("policies").select("id").where("type", "=", "APPROVAL").limit(1).executeTakeFirst()) !== undefined;
    if (approvalPoliciesExist && (await explainStack(trx, stack)).policies.some((p) => p.type === "APPROVAL")) {
      row.awaiting_approval = 1;
      out.awaitingApproval.push(row.id);
    }
    await trx.insertInto("runs").values(row).execute();
    await trx.insertInto("run_transitions").values({ id: newRunId(), run_id: row.id, from_state: null, to_state: "QUEUED", cause: spec.trigger ? "policy" : "user", actor: actor.name, note: spec.trigger?.note ?? spec.note ?? null, at }).execute();
    await recordNotificationEvent(trx, { kind: "run_updated", runId: row.id, stackId: stack.id, from: null, to: "QUEUED", note: spec.trigger?.note ?? spec.note ?? null, username: actor.name });
    if (row.blocking === 1) await setStackState(trx, stack.id, "QUEUED");
    await engine.promote(trx, out, stack.id);
    await recordAudit(trx, actor, { action: "run.create", targetType: "run", targetId: row.id, spaceId: stack.space_id, payload: { stackId: stack.id, type: spec.type, commitSha: spec.commitSha } });
    return loadRun(trx, row.id);
  }

  /** Applies a person's action to a run after checking write on the run's stack. */
  async function act(actor: Principal, id: string, event: RunEvent, verb: string) {
    return engine.tx(async (trx, out) => {
      const run = await loadRun(trx, id);
      const stack = await loadStack(trx, run.stack_id);
      await access.require(trx, actor, stack, "write", `${verb} a run`);
      const row = await engine.move(trx, out, id, event, actor.name);
      await recordAudit(trx, actor, { action: `run.${event.kind}`, targetType: "run", targetId: id, spaceId: stack.space_id, payload: { stackId: stack.id, state: row.state } });
      return runFromRow(row);
    });
  }

  return {
    /** Enqueues within the caller's transaction (VCS events: see vcs/ingest.ts); no authorization here. */
    enqueue,

    /**
     * A run a person or tool asks for. An administrative stack's run asking (`gantry_run`) runs
     * a commit like a push does, so it is keyed by (stack, commit, type): if that commit's run
     * exists already (the poller or a webhook saw the same commit), it is the answer.
     */
    async create(actor: Principal, stackId: string, input: z.output<typeof CreateRun>) {
      // Read once for the commit checks below; the transaction reads it again under its lock.
      const target = input.commitSha || actor.kind === "run" ? await loadStack(db, stackId) : undefined;
      // The role is checked before the repository is fetched: a reader learns nothing about commits.
      if (input.commitSha) await access.require(db, actor, target!, "write", "triggering a run");
      const requested = input.commitSha ? await resolveRequestedCommit(opts.mirrorDir, engine.core.log, target!, input.commitSha, input.type) : null;
      const commitSha = requested?.sha ?? input.commitSha ?? (actor.kind === "run" && input.type !== "TASK" ? await branchHeadOf(target!) : undefined) ?? null;
      const key = actor.kind === "run" && commitSha ? commitKey(stackId, commitSha, input.type) : null;
      return engine.tx(async (trx, out) => {
        const stack = await loadStack(trx, stackId);
        await access.require(trx, actor, stack, "write", "triggering a run");
        if (stack.module_id) throw conflict(`stack ${JSON.stringify(stack.id)} runs the tests of module ${JSON.stringify(stack.module_id)} only: publish a version of the module to test it`);
        if (key) {
          // Serializes with VCS ingestion of the same stack, which checks the key under this lock too.
          await lockStackRow(trx, engine.core.dialect, stack.id);
          const existing = await runForCommitKey(trx, key);
          if (existing) return runFromRow(await loadRun(trx, existing.id));
        }
        const facts = requested ? { message: requested.message, author: requested.author } : {};
        return runFromRow(await enqueue(trx, out, actor, stack, { type: input.type, commitSha, command: input.command ?? null, ...facts, ...(key ? { vcsKey: key } : {}) }));
      });
    },

    /**
     * A proposed run of code a person uploaded (`gantry stack local-preview`), for stacks that
     * allow it. The archive is checked before anything is stored and kept as the run's `source`
     * blob, which its worker unpacks instead of checking out a commit.
     */
    async localPreview(actor: Principal, stackId: string, input: z.output<typeof CreateLocalPreview>) {
      const archive = Buffer.from(input.archiveBase64, "base64");
      const stack = await loadStack(db, stackId);
      await access.require(db, actor, stack, "write", "running a local preview");
      if (stack.enable_local_preview !== 1) throw conflict(`stack ${JSON.stringify(stack.id)} does not allow local previews: an admin can set enableLocalPreview on it`);
      await checkSourceArchive(archive);
      return engine.tx(async (trx, out) => {
        const row = await enqueue(trx, out, actor, await loadStack(trx, stackId), { type: "PROPOSED", commitSha: null, command: null, source: "upload", message: input.message ?? "local preview" });
        await engine.blobs.put(trx, "run", row.id, "source", archive);
        return runFromRow(row);
      });
    },

    async list(actor: Principal, stackId: string, q: { limit: number; cursor?: string }) {
      const stack = await loadStack(db, stackId);
      await access.require(db, actor, stack, "read", "reading a stack's runs");
      let query = db.selectFrom("runs").selectAll().where("stack_id", "=", stackId).orderBy("id", "desc").limit(q.limit + 1);
      if (q.cursor) query = query.where("id", "<", q.cursor);
      return pageOf((await query.execute()).map(runFromRow), q.limit);
    },

    async get(actor: Principal, id: string): Promise<RunDetail> {
      const run = await loadRun(db, id);
      const stack = await loadStack(db, run.stack_id);
      await access.require(db, actor, stack, "read", "reading a run");
      const history = await db.selectFrom("run_transitions").selectAll().where("run_id", "=", id).orderBy("id").execute();
      const receipts = await db.selectFrom("run_policy_receipts").selectAll().where("run_id", "=", id).orderBy("id").execute();
      const waiting = run.state === "QUEUED" && run.type === "TRACKED" ? await engine.dependencies?.describeWait(db, run.stack_id) : null;
      const behind = run.state === "QUEUED" && run.blocking === 1 ? await blockingRunAhead(db, run) : undefined;
      const policyReceipts = receipts.map((r) => ({ id: r.id, policyId: r.policy_id, policyName: r.policy_name, type: r.type as PolicyType, outcome: r.outcome, messages: parseJson<Record<string, string[]>>(r.messages), policyVersion: r.policy_version, at: r.at }));
      const reviews = await db.selectFrom("run_reviews").selectAll().where("run_id", "=", id).orderBy("id").execute();
      // Receipts come oldest first: the last one of each APPROVAL policy is what it decides now.
      const approvals = [...new Map(policyReceipts.filter((r) => r.type === "APPROVAL").map((r) => [r.policyId, { policyId: r.policyId, policyName: r.policyName, outcome: r.outcome, messages: r.messages, at: r.at }])).values()];
      const warnings = policyReceipts.filter((r) => r.type === "PLAN").flatMap((r) => (r.messages.warn ?? []).map((m) => `${r.policyId}: ${m}`));
      return {
        ...runFromRow(run),
        waitingForDependencies: waiting ?? null,
        history: history.map(transitionFromRow),
        policyReceipts,
        reviews: reviews.map((r) => ({ author: r.author, decision: r.decision as "approve" | "reject", state: r.run_state as RunState, note: r.note, at: r.at })),
        approvals,
        waiting: waitReason({ id, state: run.state, awaitingApproval: run.awaiting_approval === 1, dependencies: waiting ?? null, behind: behind ?? null, approvals, warnings }),
      };
    },

    /** Confirms, unless approval policies apply and have not approved (a rejection discards the run). */
    async confirm(actor: Principal, id: string) {
      const run = await loadRun(db, id);
      const stack = await loadStack(db, run.stack_id);
      await access.require(db, actor, stack, "write", "confirming a run");
      if (run.state === "UNCONFIRMED") {
        const outcome = await settleApproval(engine, policyEngine, id);
        if (outcome === "reject") throw conflict(`run ${id} was rejected by an approval policy and discarded`);
        const approvedBefore = await db.selectFrom("run_transitions").select("id").where("run_id", "=", id).where("from_state", "=", "PENDING_REVIEW").where("to_state", "=", "UNCONFIRMED").executeTakeFirst();
        if (outcome === "undecided" && !approvedBefore) throw conflict(`run ${id} waits for approval: the approval policies have not approved it yet (review it with gantry run review)`);
      }
      return act(actor, id, { kind: "confirm" }, "confirming");
    },

    /** Records a review and lets the approval policies decide again. */
    async review(actor: Principal, id: string, input: { decision: "approve" | "reject"; note?: string }) {
      const run = await loadRun(db, id);
      const stack = await loadStack(db, run.stack_id);
      await access.require(db, actor, stack, "write", "reviewing a run");
      if (isTerminal(run.state as never)) throw conflict(`run ${id} is ${run.state}: it can no longer be reviewed`);
      await engine.tx(async (trx) => {
        await trx.insertInto("run_reviews").values({ id: newRunId(), run_id: id, author: actor.name, decision: input.decision, run_state: run.state, note: input.note ?? null, at: now() }).execute();
        await recordAudit(trx, actor, { action: `run.review.${input.decision}`, targetType: "run", targetId: id, spaceId: stack.space_id, payload: { note: input.note ?? null } });
      });
      await settleApproval(engine, policyEngine, id);
      return runFromRow(await loadRun(db, id));
    },
    discard: (actor: Principal, id: string) => act(actor, id, { kind: "discard" }, "discarding"),
    cancel: (actor: Principal, id: string) => act(actor, id, { kind: "cancel" }, "canceling"),
    stop: (actor: Principal, id: string) => act(actor, id, { kind: "stop" }, "stopping"),

    /** A new run of the same type, commit and command as a run that did not finish. */
    async retry(actor: Principal, id: string) {
      return engine.tx(async (trx, out) => {
        const run = await loadRun(trx, id);
        const stack = await loadStack(trx, run.stack_id);
        await access.require(trx, actor, stack, "write", "retrying a run");
        if (run.source === "upload") throw conflict(`run ${id} ran uploaded code: start a new local preview instead of retrying it`);
        if (stack.module_id) throw conflict(`run ${id} tested a module version, and retrying module tests is not supported yet: publish a new version to test again`);
        if (!isTerminal(run.state as never) || !retryable.has(run.state)) {
          throw conflict(`run ${id} is ${run.state}: only a failed, stopped, canceled, discarded or skipped run can be retried`);
        }
        return runFromRow(await enqueue(trx, out, actor, stack, { type: run.type as RunType, commitSha: run.commit_sha, command: run.command }));
      });
    },

    async logs(actor: Principal, id: string, after: number) {
      const run = await loadRun(db, id);
      const stack = await loadStack(db, run.stack_id);
      await access.require(db, actor, stack, "read", "reading a run's logs");
      const entries = await db.selectFrom("run_logs").selectAll().where("run_id", "=", id).where("seq", ">", after).orderBy("seq").limit(10_000).execute();
      return { entries: entries.map((e) => ({ seq: Number(e.seq), phase: e.phase, text: e.text, at: e.at })), finished: isTerminal(run.state as never) };
    },
  };
}

export type RunService = ReturnType<typeof runService>;
