import type { scheduleEndpoints } from "@gantry/contract";
import type { Handlers } from "../http/handlers.js";
import type { Services } from "../services.js";

/** Handlers of the drift detection and schedule endpoints: each one service call. */
export function scheduleHandlers(s: Services): Pick<Handlers, keyof typeof scheduleEndpoints> {
  return {
    getDriftDetection: ({ actor, params }) => s.drift.get(actor, params.id),
    putDriftDetection: ({ actor, params, body }) => s.drift.put(actor, params.id, body),
    deleteDriftDetection: ({ actor, params }) => s.drift.delete(actor, params.id),
    createDriftCheck: ({ actor, params }) => s.drift.check(actor, params.id),
    listSchedules: ({ actor, params }) => s.schedules.list(actor, params.id),
    createSchedule: ({ actor, params, body }) => s.schedules.create(actor, params.id, body),
    getSchedule: ({ actor, params }) => s.schedules.get(actor, params.id, params.scheduleId),
    deleteSchedule: ({ actor, params }) => s.schedules.delete(actor, params.id, params.scheduleId),
  };
}
