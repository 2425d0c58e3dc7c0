import type { runEndpoints } from "@gantry/contract";
import type { Handlers } from "../http/handlers.js";
import type { Services } from "../services.js";

/** Handlers of the run engine's endpoints: each one service call. */
export function runHandlers(s: Services): Pick<Handlers, keyof typeof runEndpoints> {
  return {
    createRun: ({ actor, params, body }) => s.runs.create(actor, params.id, body),
    createLocalPreview: ({ actor, params, body }) => s.runs.localPreview(actor, params.id, body),
    listStackRuns: ({ actor, params, query }) => s.runs.list(actor, params.id, query),
    getRun: ({ actor, params }) => s.runs.get(actor, params.id),
    confirmRun: ({ actor, params }) => s.runs.confirm(actor, params.id),
    discardRun: ({ actor, params }) => s.runs.discard(actor, params.id),
    cancelRun: ({ actor, params }) => s.runs.cancel(actor, params.id),
    stopRun: ({ actor, params }) => s.runs.stop(actor, params.id),
    retryRun: ({ actor, params }) => s.runs.retry(actor, params.id),
    reviewRun: ({ actor, params, body }) => s.runs.review(actor, params.id, body),
    runLogs: ({ actor, params, query }) => s.runs.logs(actor, params.id, query.after),
    explainRunPolicy: ({ actor, params, query }) => s.policyExplain.explain(actor, params.id, params.policyId, query.mode, query.body),
    lockStack: ({ actor, params, body }) => s.stackLocks.lock(actor, params.id, body.note),
    unlockStack: ({ actor, params }) => s.stackLocks.unlock(actor, params.id),
    listStateVersions: ({ actor, params }) => s.state.listVersions(actor, params.id),
    getStateVersion: ({ actor, params }) => s.state.getVersion(actor, params.id, params.versionId),
    rollbackState: ({ actor, params }) => s.state.rollback(actor, params.id, params.versionId),
    importState: ({ actor, params, body }) => s.state.importState(actor, params.id, body.state, body.force),
    listWorkerPools: ({ actor }) => s.workerPools.list(actor),
    getWorkerPool: ({ actor, params }) => s.workerPools.get(actor, params.id),
    createWorkerPool: ({ actor, body }) => s.workerPools.create(actor, body),
    resetWorkerPoolToken: ({ actor, params }) => s.workerPools.resetToken(actor, params.id),
    deleteWorkerPool: ({ actor, params }) => s.workerPools.delete(actor, params.id),
    listWorkers: ({ actor, params }) => s.workerPools.workers(actor, params.id),
  };
}
