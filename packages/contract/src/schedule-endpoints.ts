import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { IdParams } from "./schemas/common.js";
import { DriftDetection, PutDriftDetection } from "./schemas/drift.js";
import { Run } from "./schemas/run.js";
import { CreateSchedule, Schedule, ScheduleParams } from "./schemas/schedule.js";

const read = { kind: "space", role: "read" } as const;
const write = { kind: "space", role: "write" } as const;

/** Drift detection and schedules of a stack; roles are checked on the stack's space. */
export const scheduleEndpoints = {
  getDriftDetection: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/drift-detection", tag: "drift", summary: "the stack's drift detection schedule (404 when it has none)", access: read, params: IdParams, response: DriftDetection }),
  putDriftDetection: endpoint({ method: "PUT", path: "/api/v1/stacks/{id}/drift-detection", tag: "drift", summary: "set the stack's drift detection schedule (cron expressions in a time zone), reconcile and ignoreState", access: write, params: IdParams, body: PutDriftDetection, response: DriftDetection }),
  deleteDriftDetection: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/drift-detection", tag: "drift", summary: "stop drift detection on the stack", access: write, params: IdParams, response: null, status: 204 }),
  createDriftCheck: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/drift-check", tag: "drift", summary: "queue a drift detection run now (a PROPOSED run with driftDetection)", access: write, params: IdParams, response: Run, status: 201 }),

  listSchedules: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/schedules", tag: "schedules", summary: "the stack's scheduled tasks, destroys and deletes, with their next run time", access: read, params: IdParams, response: z.object({ items: z.array(Schedule) }) }),
  createSchedule: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/schedules", tag: "schedules", summary: "schedule a task, a destroy or the stack's deletion (recurring with `every`, or once `at` a future time)", access: write, params: IdParams, body: CreateSchedule, response: Schedule, status: 201 }),
  getSchedule: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/schedules/{scheduleId}", tag: "schedules", summary: "one schedule of the stack", access: read, params: ScheduleParams, response: Schedule }),
  deleteSchedule: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/schedules/{scheduleId}", tag: "schedules", summary: "remove a schedule", access: write, params: ScheduleParams, response: null, status: 204 }),
};
