import { migrationStatus, type Db } from "../db/connect.js";
import { databaseUnavailableReason } from "../db/availability.js";
import type { SubsystemStatus } from "../subsystems/subsystem.js";
import type { FastifyPluginAsync } from "fastify";

/**
 * Liveness and readiness, kept apart as orchestrators expect: `/healthz` answers as long as the
 * process serves HTTP (restart it only if this fails), `/readyz` answers 200 only when the
 * database is reachable and its schema is exactly the one this version migrates to (take the
 * replica out of the load balancer otherwise; it comes back by itself). A ready answer lists the
 * background subsystems, so an operator sees which replica holds the exclusive ones.
 */
export function healthRoutes(db: Db, version: string, subsystems: () => SubsystemStatus[]): FastifyPluginAsync {
  // Orchestrators probe without credentials.
  const pub = { config: { auth: "public" as const } };
  return async (app) => {
    app.get("/healthz", pub, async () => ({ status: "ok", version }));
    app.get("/readyz", pub, async (_req, reply) => {
      try {
        const { pending, unknown } = await migrationStatus(db);
        if (pending.length || unknown.length) {
          const why = unknown.length ? `the database has migrations this version does not know (${unknown.join(", ")})` : `migrations not applied yet: ${pending.join(", ")}`;
          return reply.status(503).send({ error: { code: "unavailable", message: `not ready: ${why}`, details: { version, checks: { database: "ok", migrations: why } } } });
        }
        const background = subsystems().map(({ name, mode, state }) => ({ name, mode, state }));
        return { status: "ready", version, checks: { database: "ok", migrations: "current" }, subsystems: background };
      } catch (err) {
        const why = databaseUnavailableReason(err) ?? `checking the database failed: ${(err as Error).message}`;
        return reply.status(503).header("retry-after", "5").send({ error: { code: "unavailable", message: `not ready: ${why}`, details: { version, checks: { database: why } } } });
      }
    });
  };
}
