import type pg from "pg";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/connect.js";
import type { NotificationMetrics } from "../notifications/metrics-hooks.js";
import type { PolicyEngine } from "../policy-engine/index.js";

const seconds = (ms: number) => ms / 1000;
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * Everything `/metrics` exposes, in one registry per server (tests run several servers in one
 * process). Counters and histograms are fed by the code that does the work; gauges of stored
 * state (runs, queues, workers, the outbox) are read from the database at scrape time, so every
 * replica reports the same cluster-wide truth.
 */
export class GantryMetrics implements NotificationMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<"method" | "route" | "status">;
  private readonly policyEvaluations: Counter<"outcome">;
  private readonly policyDuration: Histogram;
  private readonly deliveryAttempts: Counter<"kind" | "outcome">;
  private readonly deliveryAttemptDuration: Histogram<"kind">;
  private readonly deliveryLatency: Histogram<"kind">;
  private readonly fanOutLatency: Histogram;
  readonly phaseDuration: Histogram<"state">;
  readonly dispatchLatency: Histogram;

  constructor(db: Db, pgPool?: pg.Pool) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "gantry_process_" });
    this.httpDuration = new Histogram({ name: "gantry_http_request_duration_seconds", help: "HTTP request durations by route template", labelNames: ["method", "route", "status"], buckets: durationBuckets, registers });
    this.policyEvaluations = new Counter({ name: "gantry_policy_evaluations_total", help: "policy evaluations (every type) by outcome", labelNames: ["outcome"], registers });
    this.policyDuration = new Histogram({ name: "gantry_policy_evaluation_duration_seconds", help: "time to evaluate one policy", buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers });
    this.deliveryAttempts = new Counter({ name: "gantry_notification_delivery_attempts_total", help: "webhook and Slack delivery attempts by outcome (delivered, retry, failed)", labelNames: ["kind", "outcome"], registers });
    this.deliveryAttemptDuration = new Histogram({ name: "gantry_notification_delivery_attempt_duration_seconds", help: "time a receiver took to answer one attempt", labelNames: ["kind"], buckets: durationBuckets, registers });
    this.deliveryLatency = new Histogram({ name: "gantry_notification_delivery_latency_seconds", help: "from the event to its successful delivery", labelNames: ["kind"], buckets: durationBuckets, registers });
    this.fanOutLatency = new Histogram({ name: "gantry_notification_fanout_latency_seconds", help: "from the event to its fan-out (policies evaluated, deliveries queued)", buckets: durationBuckets, registers });
    this.phaseDuration = new Histogram({ name: "gantry_run_state_duration_seconds", help: "time runs spent in each state (phase) before moving on", labelNames: ["state"], buckets: durationBuckets, registers });
    this.dispatchLatency = new Histogram({ name: "gantry_run_dispatch_latency_seconds", help: "from READY (claimable) to a worker claiming the run", buckets: durationBuckets, registers });

    new Gauge({
      name: "gantry_runs", help: "runs by state and type", labelNames: ["state", "type"], registers,
      async collect() {
        this.reset();
        const rows = await db.selectFrom("runs").select(["state", "type"]).select((eb) => eb.fn.countAll<string>().as("n")).groupBy(["state", "type"]).execute();
        for (const r of rows) this.set({ state: r.state, type: r.type }, Number(r.n));
      },
    });
    const queued = async () =>
      db.selectFrom("runs").select("pool_id").select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.min("created_at").as("oldest")]).where("state", "in", ["QUEUED", "READY"]).groupBy("pool_id").execute();
    new Gauge({
      name: "gantry_run_queue_depth", help: "runs waiting (QUEUED or READY) per worker pool", labelNames: ["pool"], registers,
      async collect() {
        this.reset();
        for (const r of await queued()) this.set({ pool: r.pool_id }, Number(r.n));
      },
    });
    new Gauge({
      name: "gantry_run_queue_oldest_age_seconds", help: "age of the oldest waiting run per worker pool", labelNames: ["pool"], registers,
      async collect() {
        this.reset();
        for (const r of await queued()) if (r.oldest) this.set({ pool: r.pool_id }, Math.max(0, (Date.now() - Date.parse(String(r.oldest))) / 1000));
      },
    });
    new Gauge({
      name: "gantry_workers", help: "registered workers by pool and status", labelNames: ["pool", "status"], registers,
      async collect() {
        this.reset();
        const rows = await db.selectFrom("workers").select(["pool_id", "status"]).select((eb) => eb.fn.countAll<string>().as("n")).groupBy(["pool_id", "status"]).execute();
        for (const r of rows) this.set({ pool: r.pool_id, status: r.status }, Number(r.n));
      },
    });
    new Gauge({
      name: "gantry_notification_outbox", help: "notification events not fanned out yet, and deliveries by status", labelNames: ["what"], registers,
      async collect() {
        this.reset();
        const events = await db.selectFrom("notification_events").select((eb) => eb.fn.countAll<string>().as("n")).where("fanned_out_at", "is", null).executeTakeFirst();
        this.set({ what: "events_pending" }, Number(events?.n ?? 0));
        const rows = await db.selectFrom("notification_deliveries").select("status").select((eb) => eb.fn.countAll<string>().as("n")).groupBy("status").execute();
        for (const r of rows) this.set({ what: `deliveries_${r.status.toLowerCase()}` }, Number(r.n));
      },
    });
    if (pgPool) {
      new Gauge({
        name: "gantry_db_pool_connections", help: "PostgreSQL pool connections by state", labelNames: ["state"], registers,
        collect() {
          this.set({ state: "total" }, pgPool.totalCount);
          this.set({ state: "idle" }, pgPool.idleCount);
          this.set({ state: "waiting" }, pgPool.waitingCount);
        },
      });
    }
  }

  observeHttp(method: string, route: string, status: number, ms: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds(ms));
  }

  /** Wraps a policy engine so every evaluation, of every policy type, is counted and timed. */
  meteredEngine(engine: PolicyEngine): PolicyEngine {
    return {
      // Explaining is a person debugging a receipt, not a run's evaluation: not counted.
      ...(engine.explain ? { explain: engine.explain.bind(engine) } : {}),
      evaluate: async (modules, query, input, options) => {
        const end = this.policyDuration.startTimer();
        try {
          const v = await engine.evaluate(modules, query, input, options);
          this.policyEvaluations.inc({ outcome: "ok" });
          return v;
        } catch (err) {
          this.policyEvaluations.inc({ outcome: "error" });
          throw err;
        } finally {
          end();
        }
      },
    };
  }

  eventFannedOut(createdAt: string): void {
    this.fanOutLatency.observe(Math.max(0, seconds(Date.now() - Date.parse(createdAt))));
  }

  deliveryAttempt(kind: string, outcome: "delivered" | "retry" | "failed", durationMs: number): void {
    this.deliveryAttempts.inc({ kind, outcome });
    this.deliveryAttemptDuration.observe({ kind }, seconds(durationMs));
  }

  delivered(kind: string, eventAt: string): void {
    this.deliveryLatency.observe({ kind }, Math.max(0, seconds(Date.now() - Date.parse(eventAt))));
  }

  /** Policies are counted by the metered engine; nothing more to do per notification policy. */
  policyEvaluated(): void {}

  /** A run left `state` after `ms` (fed from the notification events, which see every transition). */
  runLeftState(state: string, ms: number): void {
    this.phaseDuration.observe({ state }, seconds(ms));
    if (state === "READY") this.dispatchLatency.observe(seconds(ms));
  }
}
