import type { DriftDetection, Schedule } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf } from "../api.js";
import { kit } from "../kit.js";

/**
 * Drift detection and schedules, with Spacelift's attribute names (`spacelift_drift_detection`,
 * `spacelift_scheduled_task`, `spacelift_scheduled_delete_stack`); `at` is a Unix timestamp as
 * there. A schedule has no update: changing it replaces it. Ids of schedules are
 * `<stack_id>/<schedule_id>`, so `terraform import` takes that form.
 */

const driftFromApi = (d: DriftDetection) => ({
  id: d.stackId, stack_id: d.stackId, schedule: d.schedule, timezone: d.timezone, reconcile: d.reconcile, ignore_state: d.ignoreState, next_run_at: d.nextRunAt,
});

type DriftConfig = { stack_id: string; schedule: string[]; timezone: string; reconcile: boolean; ignore_state: boolean };
const driftBody = (c: DriftConfig) => ({ schedule: c.schedule, timezone: c.timezone, reconcile: c.reconcile, ignoreState: c.ignore_state });
const driftFields = { ignoreState: "ignore_state" };

/** `gantry_drift_detection`: the stack's drift detection schedule. */
export const driftDetection = kit.resource({
  description: "Checks a stack for drift on cron schedules, optionally reconciling it.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
    schedule: attr.list(t.string, { required: true, description: "cron expressions" }),
    timezone: attr.string({ optional: true, default: "UTC" }),
    reconcile: attr.bool({ optional: true, default: false }),
    ignore_state: attr.bool({ optional: true, default: false }),
    next_run_at: attr.string({ computed: true, description: "when the next drift detection run is due" }),
  },
  async create({ planned, client }) {
    return driftFromApi(await call(client, "putDriftDetection", { params: { id: planned.stack_id }, body: driftBody(planned) }, driftFields, { forbiddenAt: "stack_id" }));
  },
  async read({ state, client }) {
    const d = await callOrNull(client, "getDriftDetection", { params: { id: String(state.stack_id ?? idOf(state)) } });
    return d && driftFromApi(d);
  },
  async update({ planned, client }) {
    return driftFromApi(await call(client, "putDriftDetection", { params: { id: planned.stack_id }, body: driftBody(planned) }, driftFields, { forbiddenAt: "stack_id" }));
  },
  async delete({ state, client }) {
    await call(client, "deleteDriftDetection", { params: { id: String(state.stack_id) } });
  },
  import: ({ id }) => ({ id, stack_id: id }),
});

const unix = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);
const fromUnix = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Splits `<stack_id>/<schedule_id>`. */
function scheduleRef(state: { id: string | null }) {
  const [stackId, scheduleId] = idOf(state).split("/");
  return { id: stackId ?? "", scheduleId: scheduleId ?? "" };
}

async function readSchedule(client: Parameters<typeof callOrNull>[0], state: { id: string | null }): Promise<Schedule | null> {
  return callOrNull(client, "getSchedule", { params: scheduleRef(state) });
}

const taskFromApi = (s: Schedule) => ({
  id: `${s.stackId}/${s.id}`, schedule_id: s.id, stack_id: s.stackId, command: s.command ?? "", every: s.every, at: unix(s.at), timezone: s.timezone, next_run_at: s.nextRunAt,
});

/** `gantry_scheduled_task`: a command run on cron schedules (`every`) or once (`at`). */
export const scheduledTask = kit.resource({
  description: "Runs a command in a stack's workspace on cron schedules or once at a time.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    schedule_id: attr.string({ computed: true, useStateForUnknown: true }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
    command: attr.string({ required: true, requiresReplace: true }),
    every: attr.list(t.string, { optional: true, requiresReplace: true, description: "cron expressions (give every or at)" }),
    at: attr.int({ optional: true, requiresReplace: true, description: "Unix timestamp of a one-off run" }),
    timezone: attr.string({ optional: true, default: "UTC", requiresReplace: true }),
    next_run_at: attr.string({ computed: true }),
  },
  async create({ planned, client }) {
    const body = { kind: "TASK" as const, command: planned.command, timezone: planned.timezone, ...(planned.every ? { every: planned.every } : {}), ...(planned.at != null ? { at: fromUnix(planned.at) } : {}) };
    return taskFromApi(await call(client, "createSchedule", { params: { id: planned.stack_id }, body }, {}, { forbiddenAt: "stack_id" }));
  },
  async read({ state, client }) {
    const s = await readSchedule(client, state);
    return s && taskFromApi(s);
  },
  update: () => ({}),
  async delete({ state, client }) {
    await callOrNull(client, "deleteSchedule", { params: scheduleRef(state) });
  },
  import: ({ id }) => ({ id }),
});

// A scheduled delete always has its time (`at` is required for DELETE).
const deleteFromApi = (s: Schedule) => ({ id: `${s.stackId}/${s.id}`, schedule_id: s.id, stack_id: s.stackId, at: unix(s.at) ?? 0, delete_resources: s.deleteResources, next_run_at: s.nextRunAt });

/**
 * `gantry_scheduled_delete_stack`: deletes the stack at a time, destroying its resources first
 * unless `delete_resources = false`. Once the stack is gone, so is the schedule.
 */
export const scheduledDeleteStack = kit.resource({
  description: "Deletes a stack at a time, after destroying its resources unless delete_resources is false.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    schedule_id: attr.string({ computed: true, useStateForUnknown: true }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
    at: attr.int({ required: true, requiresReplace: true, description: "Unix timestamp" }),
    delete_resources: attr.bool({ optional: true, default: true, requiresReplace: true }),
    next_run_at: attr.string({ computed: true }),
  },
  async create({ planned, client }) {
    const body = { kind: "DELETE" as const, at: fromUnix(planned.at), deleteResources: planned.delete_resources };
    return deleteFromApi(await call(client, "createSchedule", { params: { id: planned.stack_id }, body }, { deleteResources: "delete_resources" }, { forbiddenAt: "stack_id" }));
  },
  async read({ state, client }) {
    const s = await readSchedule(client, state);
    return s && deleteFromApi(s);
  },
  update: () => ({}),
  async delete({ state, client }) {
    await callOrNull(client, "deleteSchedule", { params: scheduleRef(state) });
  },
  import: ({ id }) => ({ id }),
});
