import { ulid } from "ulid";
import type { Core } from "../core.js";
import { inTransaction } from "../core.js";
import { now, parseJson } from "../db/rows.js";
import type { NotificationEventsTable, WebhooksTable } from "../db/schema.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import { SpaceTree } from "../spaces/tree.js";
import { recordNotificationEvent, type NotificationEvent } from "./events.js";
import type { NotificationMetrics } from "./metrics-hooks.js";
import { planInternalError, planRunUpdated } from "./plan.js";
import { planModuleVersion } from "./plan-module-version.js";

/** What one event turns into: outward deliveries, inbox messages, and problems worth reporting. */
export interface FanOutPlan {
  deliveries: { target_kind: "webhook" | "slack" | "pull_request"; target_id: string; space_id: string; payload: unknown }[];
  inbox: { space_id: string; stack_id: string | null; run_id: string | null; title: string; body: string; severity: string }[];
  /** Internal errors found while planning (a policy that failed, a webhook id that does not exist). */
  errors: Extract<NotificationEvent, { kind: "internal_error" }>[];
}

export interface FanOutDeps {
  core: Core;
  policyEngine?: PolicyEngine;
  /** The server's URL, for links to runs. */
  baseUrl: () => string;
  metrics?: NotificationMetrics;
}

export const emptyPlan = (): FanOutPlan => ({ deliveries: [], inbox: [], errors: [] });

/** Whether an endpoint's `autoattach:` labels select a stack with `stackLabels` (as for policies). */
export function autoAttaches(labels: string[], stackLabels: Set<string>): boolean {
  return labels.some((l) => l.startsWith("autoattach:") && (l === "autoattach:*" || stackLabels.has(l.slice("autoattach:".length))));
}

/** The webhook endpoints within reach of a space (its own and the inherited parents'). */
export async function webhooksInReach(core: Core, spaceId: string): Promise<{ hooks: WebhooksTable[]; reach: string[] }> {
  const reach = (await new SpaceTree(core.db).reachingSpaces(spaceId)).map((s) => s.id);
  const hooks = reach.length ? await core.db.selectFrom("webhooks").selectAll().where("space_id", "in", reach).orderBy("id").execute() : [];
  return { hooks, reach };
}

async function planEvent(deps: FanOutDeps, e: NotificationEventsTable): Promise<FanOutPlan> {
  const event = parseJson<NotificationEvent>(e.payload);
  if (event.kind === "run_updated") return planRunUpdated(deps, event, e.created_at);
  if (event.kind === "internal_error") return planInternalError(deps, event);
  return planModuleVersion(deps, event, e.created_at);
}

/**
 * Fans out the oldest pending events. The plan is worked out before the write transaction (policy
 * evaluation must not hold SQLite's single writer); the transaction then marks the event done
 * only if it still is pending, so a replica that lost the lock mid-round cannot fan out twice.
 */
export async function fanOutPending(deps: FanOutDeps, limit = 200): Promise<number> {
  const { db, log } = deps.core;
  const events = await db.selectFrom("notification_events").selectAll().where("fanned_out_at", "is", null).orderBy("id").limit(limit).execute();
  for (const e of events) {
    let plan: FanOutPlan;
    try {
      plan = await planEvent(deps, e);
    } catch (err) {
      // A bug in planning must not wedge the queue behind one event: report it and move on.
      log.error({ err, eventId: e.id }, "planning a notification failed");
      plan = emptyPlan();
      if (e.kind !== "internal_error") plan.errors.push({ kind: "internal_error", spaceId: e.space_id ?? "root", stackId: e.stack_id, runId: e.run_id, message: `notifications for event ${e.id} could not be worked out`, error: (err as Error).message, severity: "ERROR" });
    }
    const at = now();
    await inTransaction(db, async (trx) => {
      const res = await trx.updateTable("notification_events").set({ fanned_out_at: at }).where("id", "=", e.id).where("fanned_out_at", "is", null).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return;
      for (const d of plan.deliveries) {
        await trx.insertInto("notification_deliveries").values({ id: ulid(), event_id: e.id, event_kind: e.kind, event_at: e.created_at, target_kind: d.target_kind, target_id: d.target_id, space_id: d.space_id, payload: JSON.stringify(d.payload), status: "PENDING", attempts: 0, next_attempt_at: at, created_at: at, finished_at: null }).execute();
      }
      for (const m of plan.inbox) await trx.insertInto("notification_inbox").values({ id: ulid(), event_id: e.id, created_at: at, ...m }).execute();
      // Problems found while handling an internal error are only logged: reporting them as new
      // internal errors could loop for ever.
      if (e.kind === "internal_error") for (const p of plan.errors) log.warn({ eventId: e.id, problem: p.message }, "notification problem while handling an internal error");
      else for (const p of plan.errors) await recordNotificationEvent(trx, p);
    });
    deps.metrics?.eventFannedOut(e.created_at, plan.deliveries.length);
  }
  return events.length;
}
