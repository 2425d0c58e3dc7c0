/**
 * The run executor. It runs inside `gantry up`, or remotely with a worker-pool token; it only
 * talks to the server through its API. (Filled in by the run-engine work.)
 */
export {};
