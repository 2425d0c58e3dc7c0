import { ulid } from "ulid";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";

/**
 * What Gantry tells people and systems about. Each kind matches one of Spacelift's NOTIFICATION
 * policy inputs (`run_updated`, `internal_error`, `module_version`).
 */
export type NotificationEvent =
  /** A run moved from `from` (null: it was created) to `to`; drift runs carry `driftDetection`. */
  | { kind: "run_updated"; runId: string; stackId: string; from: string | null; to: string; note: string | null; username: string }
  /** Something Gantry could not do on its own: a policy that failed, a delivery out of retries. */
  | { kind: "internal_error"; spaceId: string; stackId?: string | null; runId?: string | null; message: string; error: string; severity: "ERROR" | "WARNING" }
  /** A module version became ACTIVE: published without tests, or its tests passed (modules/version-events.ts). */
  | { kind: "module_version"; spaceId: string; moduleId: string; version: string };

export type NotificationEventKind = NotificationEvent["kind"];

/**
 * Writes an event into the outbox, inside the caller's transaction: it commits (and is later
 * delivered) exactly when the change it describes commits. Fan-out happens in the notification
 * subsystem, never on the caller's path, so a slow receiver cannot slow a run.
 */
export async function recordNotificationEvent(trx: Db, event: NotificationEvent): Promise<string> {
  const id = ulid();
  const spaceId = event.kind === "run_updated" ? null : event.spaceId;
  const stackId = event.kind === "run_updated" ? event.stackId : event.kind === "internal_error" ? (event.stackId ?? null) : null;
  const runId = event.kind === "run_updated" ? event.runId : event.kind === "internal_error" ? (event.runId ?? null) : null;
  await trx
    .insertInto("notification_events")
    .values({ id, kind: event.kind, space_id: spaceId, stack_id: stackId, run_id: runId, payload: JSON.stringify(event), created_at: now(), fanned_out_at: null })
    .execute();
  return id;
}
