import type { ClaimedJob, Job, RunDelta, RunState, RunType } from "@gantry/contract";
import { ulid } from "ulid";
import type { z } from "zod";
import { now } from "../db/rows.js";
import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import { AppError, notFound } from "../errors.js";
import type { RunEngine } from "../runs/engine.js";
import { settleApproval } from "../runs/approval.js";
import { activeStates, claimNextRun, releaseRunWorker, setRunDelta, setRunToken } from "../runs/repository.js";
import { applyingState, isTerminal } from "../runs/transitions.js";
import { earlyApplyEvent } from "../runs/early-apply.js";
import { planGate, runDocuments } from "../runs/plan-gate.js";
import { commitDocument, documentContext, requestDocument, taskPolicyInput } from "../runs/policy-documents.js";
import { evaluatePolicies } from "../policy-engine/evaluate.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import type { PoolCredential } from "./credentials.js";
import { buildJob } from "./job.js";
import { storeStackOutputs } from "../stacks/stored-outputs.js";
import { resolveReferences } from "../dependencies/references.js";
import type { OidcIssuer } from "../oidc/issuer.js";
import { explainStack } from "../attachments/resolve.js";
import { newMachineToken } from "./tokens.js";

/** Log text a worker sends along with a report. */
type TrailingLog = { phase: string; text: string };

export interface ProtocolOptions {
  heartbeatIntervalMs: number;
  policyEngine?: PolicyEngine;
  /** Signs each run phase's identity token. */
  issuer: OidcIssuer;
  /** How long one phase may execute once claimed; bounds its identity token too. */
  runTimeLimitSeconds: number;
}

/** The server side of the worker protocol: registration, claims, heartbeats, reports, logs. */
export function workerProtocolService(engine: RunEngine, opts: ProtocolOptions) {
  const { db, dialect } = engine.core;

  async function loadWorker(pool: PoolCredential, workerId: string) {
    const w = await db.selectFrom("workers").selectAll().where("id", "=", workerId).executeTakeFirst();
    if (!w || w.pool_id !== pool.poolId) throw notFound("worker", workerId);
    if (w.status === "GONE") throw new AppError("conflict", `worker ${workerId} was declared gone after missing heartbeats: register again`);
    return w;
  }

  /**
   * Takes the pool's next claimable run (prioritized ones first, then the oldest) in one
   * statement, so two workers never get the same run.
   */
  async function tryClaim(pool: PoolCredential, worker: { id: string; name: string }): Promise<Job | null> {
    const id = await engine.tx(async (trx, out) => {
      const at = now();
      const row = await claimNextRun(trx, dialect, pool.poolId, worker.id, at);
      if (!row) return null;
      if (row.state === "READY") await engine.move(trx, out, row.id, { kind: "claim" }, `worker ${worker.name}`);
      await trx.updateTable("workers").set({ status: "BUSY", current_run_id: row.id, last_heartbeat_at: at }).where("id", "=", worker.id).execute();
      return row.id;
    });
    if (!id) return null;
    if (!(await initializationAllowed(id))) return tryClaim(pool, worker);
    if (!(await referencesResolvable(id))) return tryClaim(pool, worker);
    const { token, secretHash } = newMachineToken("gnr", id);
    await setRunToken(db, id, secretHash);
    const run = await db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirstOrThrow();
    const deadline = new Date(Date.now() + opts.runTimeLimitSeconds * 1000);
    return buildJob(engine.core, opts.issuer, run, stack, token, run.state === "CONFIRMED" ? "apply" : "plan", deadline);
  }

  /**
   * INITIALIZATION policies (and TASK policies for tasks) decide before a run starts: a `deny`
   * fails the claimed run with the messages, and the worker looks for the next one.
   */
  async function initializationAllowed(runId: string): Promise<boolean> {
    const run = await db.selectFrom("runs").selectAll().where("id", "=", runId).executeTakeFirstOrThrow();
    if (run.state !== "PREPARING") return true;
    const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirstOrThrow();
    const gates = run.type === "TASK" ? ["INITIALIZATION", "TASK"] : ["INITIALIZATION"];
    if (!(await explainStack(db, stack)).policies.some((p) => gates.includes(p.type ?? ""))) return true;
    const ctx = await documentContext(db, stack);
    const docs = runDocuments(run, stack, ctx);
    const inputs = { INITIALIZATION: { spacelift: { ...docs, commit: commitDocument(run), request: requestDocument() } }, TASK: taskPolicyInput(run, docs.stack) };
    const deny: string[] = [];
    for (const type of run.type === "TASK" ? (["INITIALIZATION", "TASK"] as const) : (["INITIALIZATION"] as const)) {
      deny.push(...((await evaluatePolicies(engine.core, opts.policyEngine, run.id, stack, type, ["deny"], inputs[type])).rules.deny ?? []));
    }
    if (deny.length === 0) return true;
    await engine.tx((trx, out) => engine.move(trx, out, run.id, { kind: "fail", by: "policy" }, "policy", { note: `denied before starting: ${deny.join("; ")}` }));
    return false;
  }

  /**
   * A run starts from its upstreams' latest applied outputs: a reference to an output that does
   * not exist fails the claimed run with the output and upstream named, before any work.
   */
  async function referencesResolvable(runId: string): Promise<boolean> {
    const run = await db.selectFrom("runs").select(["id", "state", "stack_id"]).where("id", "=", runId).executeTakeFirstOrThrow();
    if (run.state !== "PREPARING") return true;
    const { missing } = await resolveReferences(db, engine.blobs, run.stack_id);
    if (missing.length === 0) return true;
    await engine.tx((trx, out) => engine.move(trx, out, run.id, { kind: "fail", by: "scheduler" }, "dependencies", { note: `resolving output references: ${missing.join("; ")}` }));
    return false;
  }

  /** The non-sensitive outputs of the state version a tracked run wrote, kept for stack dependencies. */
  async function storeOutputsFromState(trx: Db, run: RunsTable): Promise<void> {
    const version = await trx.selectFrom("state_versions").select("blob_id").where("run_id", "=", run.id).orderBy("id", "desc").limit(1).executeTakeFirst();
    if (!version) return;
    const doc = JSON.parse((await engine.blobs.byId(trx, version.blob_id))!.toString("utf8")) as { outputs?: Record<string, { value: unknown; sensitive?: boolean }> };
    await storeStackOutputs(trx, engine.core.box, run, doc.outputs ?? {});
  }

  /** Appends a batch of (masked) log text as the run's next entry and tells its followers. */
  async function appendLogs(run: RunsTable, phase: string, text: string) {
    if (isTerminal(run.state as RunState)) throw new AppError("conflict", `run ${run.id} is ${run.state}: its log is closed`);
    const at = now();
    const seq = await engine.tx(async (trx) => {
      const last = await trx.selectFrom("run_logs").select((eb) => eb.fn.max("seq").as("seq")).where("run_id", "=", run.id).executeTakeFirst();
      const next = Number(last?.seq ?? 0) + 1;
      await trx.insertInto("run_logs").values({ run_id: run.id, seq: next, phase, text, at }).execute();
      return next;
    });
    await engine.events.logAppended(run.id, { seq, phase, text, at });
  }

  return {
    async register(pool: PoolCredential, name: string) {
      const id = ulid();
      const at = now();
      await db.insertInto("workers").values({ id, pool_id: pool.poolId, name, status: "IDLE", current_run_id: null, last_heartbeat_at: at, created_at: at }).execute();
      return { workerId: id, heartbeatIntervalMs: opts.heartbeatIntervalMs };
    },

    /**
     * Long poll: answers with a job as soon as one is claimable, woken by the engine's events
     * (no sleep decides latency), or with null after `waitMs`. `signal` ends the wait when the
     * worker hangs up.
     */
    async claim(pool: PoolCredential, workerId: string, waitMs: number, signal?: AbortSignal): Promise<z.output<typeof ClaimedJob>> {
      const worker = await loadWorker(pool, workerId);
      const deadline = Date.now() + waitMs;
      while (!signal?.aborted) {
        // Listen before looking, so work announced between the look and the wait is not missed.
        const wake = engine.events.waitForWork(pool.poolId, deadline - Date.now(), signal);
        const job = await tryClaim(pool, worker).catch((err: unknown) => {
          wake.cancel();
          throw err;
        });
        if (job) {
          wake.cancel();
          return { job };
        }
        if (Date.now() >= deadline) {
          wake.cancel();
          break;
        }
        await wake.promise;
      }
      await db.updateTable("workers").set({ last_heartbeat_at: now() }).where("id", "=", workerId).execute();
      return { job: null };
    },

    async heartbeat(pool: PoolCredential, workerId: string, runIds: string[]) {
      await loadWorker(pool, workerId);
      await db.updateTable("workers").set({ last_heartbeat_at: now() }).where("id", "=", workerId).execute();
      if (runIds.length === 0) return { stopRunIds: [] };
      const rows = await db.selectFrom("runs").select(["id", "state", "worker_id"]).where("id", "in", runIds).execute();
      const keep = new Set(rows.filter((r) => r.worker_id === workerId && activeStates.includes(r.state as RunState)).map((r) => r.id));
      return { stopRunIds: runIds.filter((id) => !keep.has(id)) };
    },

    async reportTransition(run: RunsTable, body: { to: RunState; note?: string; commitSha?: string; commitMessage?: string; commitAuthor?: string; log?: TrailingLog }) {
      // A run that went on before its plan JSON was stored (reportChanges) finishes only once it is.
      if (body.to === "FINISHED" && run.delta === null && run.state === applyingState(run.type as RunType)) {
        throw new AppError("conflict", `run ${run.id} has no plan stored yet: send it with reportPlanJson before reporting FINISHED`);
      }
      if (body.log) await appendLogs(run, body.log.phase, body.log.text);
      const workerName = `worker ${run.worker_id ?? "?"}`;
      return engine.tx(async (trx, out) => {
        const event = body.to === "FAILED" ? ({ kind: "fail", by: "worker" } as const) : body.to === "FINISHED" ? ({ kind: "finish" } as const) : ({ kind: "advance", to: body.to } as const);
        const set: Partial<RunsTable> = {};
        if (body.commitSha) set.commit_sha = body.commitSha;
        if (body.commitMessage !== undefined) set.commit_message = body.commitMessage;
        if (body.commitAuthor !== undefined) set.commit_author = body.commitAuthor;
        const row = await engine.move(trx, out, run.id, event, workerName, { note: body.note ?? null, set });
        if (row.state === "FINISHED" && row.type === "TRACKED") await storeOutputsFromState(trx, row);
        return { state: row.state as RunState };
      });
    },

    /** Stores the plan and decides what follows: policies, changes and autodeploy. */
    async reportPlan(run: RunsTable, body: { delta: RunDelta; planJson: string | null; log?: TrailingLog }) {
      if (body.log) await appendLogs(run, body.log.phase, body.log.text);
      const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirstOrThrow();
      const gate = await planGate(engine.core, opts.policyEngine, run, stack, body.planJson);
      const decided = await engine.tx(async (trx, out) => {
        if (body.planJson !== null) await engine.blobs.put(trx, "run", run.id, "plan-json", Buffer.from(body.planJson, "utf8"));
        // Output-only changes count: the new outputs reach the state only by applying, and stack
        // dependencies read them from there (terraform and HCP Terraform apply them too).
        const changes = body.delta.added + body.delta.changed + body.delta.deleted + (body.delta.outputs ?? 0) > 0;
        const row = await engine.move(trx, out, run.id, { kind: "planned", changes, denied: gate.denied, warnings: gate.warnings, autodeploy: stack.autodeploy === 1, approvalPolicies: gate.approvalPolicies }, `worker ${run.worker_id ?? "?"}`, {
          note: gate.reason,
          set: { delta: JSON.stringify(body.delta) },
        });
        return { next: row.state as RunState, reason: gate.reason };
      });
      // A run waiting for a person may be approved or rejected by policy right away.
      if (decided.next === "UNCONFIRMED" || decided.next === "PENDING_REVIEW") {
        const outcome = await settleApproval(engine, opts.policyEngine, run.id);
        if (outcome === "reject") return { next: "DISCARDED" as RunState, reason: "rejected by an approval policy" };
        if (outcome === "approve") {
          const now = await db.selectFrom("runs").select("state").where("id", "=", run.id).executeTakeFirstOrThrow();
          return { next: now.state as RunState, reason: decided.reason };
        }
      }
      return decided;
    },

    /**
     * The plan has changes and its JSON is on the way: a run nothing needs the JSON for (see
     * {@link earlyApplyEvent}) goes on to apply now, the JSON following with `reportPlanJson`;
     * any other answers PLANNING and stays there until the full `reportPlan`.
     */
    async reportChanges(run: RunsTable, body: { log?: TrailingLog }) {
      if (body.log) await appendLogs(run, body.log.phase, body.log.text);
      const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirstOrThrow();
      const event = await earlyApplyEvent(db, { type: run.type as RunType, state: run.state as RunState }, stack);
      if (!event) return { next: "PLANNING" as RunState, reason: null };
      return engine.tx(async (trx, out) => {
        const row = await engine.move(trx, out, run.id, event, `worker ${run.worker_id ?? "?"}`);
        return { next: row.state as RunState, reason: null };
      });
    },

    /** Stores the plan JSON and delta of a run that went on to apply before they were ready. */
    async reportPlanJson(run: RunsTable, body: { delta: RunDelta; planJson: string }) {
      if (run.state !== applyingState(run.type as RunType) || run.delta !== null) {
        throw new AppError("conflict", `run ${run.id} is ${run.state}${run.delta !== null ? " with its plan stored" : ""}: a late plan JSON is only taken while the run applies without one (send the plan with reportPlan instead)`);
      }
      await engine.tx(async (trx) => {
        await engine.blobs.put(trx, "run", run.id, "plan-json", Buffer.from(body.planJson, "utf8"));
        await setRunDelta(trx, run.id, body.delta);
      });
    },

    async reportOutputs(run: RunsTable, outputs: Record<string, unknown>) {
      if (run.type !== "TRACKED") return;
      // The worker sends the non-sensitive outputs only; they pass the same write-only check.
      await storeStackOutputs(db, engine.core.box, run, Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }])));
    },

    /**
     * The planning worker saved the workspace of a run waiting for a person: the run leaves that
     * worker, so whichever worker claims it once confirmed can apply it (never before the upload).
     */
    async releaseAfterUpload(run: RunsTable): Promise<void> {
      if (!["UNCONFIRMED", "PENDING_REVIEW", "CONFIRMED"].includes(run.state)) return;
      await engine.tx(async (trx, out) => {
        await releaseRunWorker(trx, run.id, run.worker_id);
        const now = await trx.selectFrom("runs").select(["state", "pool_id"]).where("id", "=", run.id).executeTakeFirstOrThrow();
        if (now.state === "CONFIRMED") out.pools.add(now.pool_id);
      });
    },

    appendLogs,
  };
}

export type WorkerProtocolService = ReturnType<typeof workerProtocolService>;
