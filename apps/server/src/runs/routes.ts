import type { buildApp } from "../http/app.js";
import type { Db } from "../db/connect.js";
import type { Services } from "../services.js";
import type { ProtocolOperation } from "../http/openapi.js";
import { mountStateBackend, stateBackendOperations } from "../state/routes.js";
import { mountWorkerRoutes, workerArtifactOperations } from "../workers/routes.js";
import { logStreamOperations, mountLogStream } from "./log-stream.js";

/** The OpenAPI operations of the routes below that are not in the contract's tables. */
export const runEngineOperations: ProtocolOperation[] = [...workerArtifactOperations, ...logStreamOperations, ...stateBackendOperations];

/** The run engine's routes outside the endpoint table: the worker protocol, live logs and the state backend. */
export function mountRunEngineRoutes(app: ReturnType<typeof buildApp>, db: Db, services: Services): void {
  mountWorkerRoutes(app, services);
  mountLogStream(app, services);
  mountStateBackend(app, db, services.state);
}
