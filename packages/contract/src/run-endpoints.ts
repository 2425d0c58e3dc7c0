/**
 * Endpoints of the run engine: runs, their logs and reviews, worker pools and workers, state
 * versions. (Filled in by the run-engine work.)
 */
export const runEndpoints = {};
