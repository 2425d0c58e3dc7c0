import type { buildApp } from "../http/app.js";
import type { Db } from "../db/connect.js";
import type { Services } from "../services.js";
import { mountStateBackend } from "../state/routes.js";
import { mountWorkerRoutes } from "../workers/routes.js";
import { mountLogStream } from "./log-stream.js";

/** The run engine's routes outside the endpoint table: the worker protocol, live logs and the state backend. */
export function mountRunEngineRoutes(app: ReturnType<typeof buildApp>, db: Db, services: Services): void {
  mountWorkerRoutes(app, services);
  mountLogStream(app, db, services);
  mountStateBackend(app, db, services.state, services.loginGate);
}
