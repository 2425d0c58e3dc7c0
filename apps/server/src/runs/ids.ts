import { monotonicFactory } from "ulid";

/**
 * Ids of runs and of rows ordered with them (transitions, reviews): they sort in creation order
 * even within one millisecond, so the queue is FIFO by id and a run's history reads in order.
 */
export const newRunId = monotonicFactory();
