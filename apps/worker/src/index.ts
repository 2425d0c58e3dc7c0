/**
 * The run executor. It runs inside `gantry up`, or remotely with a worker-pool token; it only
 * talks to the server through the worker protocol (`WorkerApi`).
 */
export { startWorker, type RunningWorker, type WorkerOptions } from "./worker.js";
export { Masker } from "./masker.js";
export { WorkerError, type WorkerErrorCode } from "./errors.js";
export { envSwitch } from "./admin/options.js";
export { parseProviderUpstream } from "./workspace/provider-installation.js";
