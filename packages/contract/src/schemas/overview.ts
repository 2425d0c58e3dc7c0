import { z } from "zod";
import { Run } from "./run.js";
import { StackState } from "./stack.js";

/** One worker pool as the overview shows it: how many workers do what, and how much waits. */
export const PoolLoad = z.object({
  id: z.string(),
  name: z.string(),
  busy: z.number().int(),
  idle: z.number().int(),
  queued: z.number().int().describe("runs of the pool waiting for a worker"),
  oldestQueuedAt: z.string().nullable(),
});

/** The bird's-eye view of everything the caller can read. */
export const Overview = z.object({
  stacks: z.object({ total: z.number().int(), byState: z.partialRecord(StackState, z.number().int()) }),
  runsInProgress: z.array(Run),
  runsWaitingForPeople: z.array(Run).describe("UNCONFIRMED, PENDING_REVIEW, and QUEUED runs held by an approval policy"),
  recentFailures: z.array(Run).describe("failed runs of the last 7 days, newest first"),
  workerPools: z.array(PoolLoad),
  at: z.string(),
});
export type Overview = z.infer<typeof Overview>;
