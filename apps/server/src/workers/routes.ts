import { workerEndpoints, type Endpoint, type RunState } from "@gantry/contract";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { buildApp } from "../http/app.js";
import type { RunsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import { parsePart } from "../http/validate.js";
import type { Services } from "../services.js";
import { authenticatePool, authenticateRun, type PoolCredential } from "./credentials.js";

type Name = keyof typeof workerEndpoints;
type Input = { params: Record<string, string>; body: Record<string, unknown>; signal: AbortSignal };

const bearer = (req: FastifyRequest) => {
  const h = req.headers.authorization;
  return h?.startsWith("Bearer ") ? h.slice(7).trim() : undefined;
};

/**
 * An AbortSignal that fires when the client hangs up, so a long poll stops waiting for nobody.
 * Listens on the response (one per request), not the keep-alive socket shared by many.
 */
function hangUpSignal(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

/** States in which a run's worker may upload its plan file and workspace archive. */
const uploadStates = new Set<string>(["PLANNING", "UNCONFIRMED", "PENDING_REVIEW", "CONFIRMED", "APPLYING", "DESTROYING", "PERFORMING"]);
/** States in which a worker may fetch them back to apply. */
const downloadStates = new Set<string>(["CONFIRMED", "APPLYING", "DESTROYING"]);
/**
 * What a worker may do with each artifact kind, and when. The `source` of a local preview is
 * uploaded by a person through the API; its worker only reads it, while preparing.
 */
const artifactKinds: Record<string, { upload: Set<string>; download: Set<string> }> = {
  "plan-file": { upload: uploadStates, download: downloadStates },
  workspace: { upload: uploadStates, download: downloadStates },
  source: { upload: new Set(), download: new Set(["PREPARING"]) },
};

/**
 * Mounts the worker protocol next to the API: pool-token calls (register, claim, heartbeat) and
 * run-token calls (reports, logs, artifacts). Errors use the API's envelope.
 */
export function mountWorkerRoutes(app: ReturnType<typeof buildApp>, s: Services): void {
  const db = s.runEngine.core.db;
  const p = s.workerProtocol;
  const pool: Partial<Record<Name, (c: PoolCredential, i: Input) => Promise<unknown>>> = {
    registerWorker: (c, i) => p.register(c, i.body.name as string),
    claimRun: (c, i) => p.claim(c, i.params.workerId!, i.body.waitMs as number, i.signal),
    heartbeat: (c, i) => p.heartbeat(c, i.params.workerId!, i.body.runIds as string[]),
  };
  const run: Partial<Record<Name, (r: RunsTable, i: Input) => Promise<unknown>>> = {
    reportTransition: (r, i) => p.reportTransition(r, i.body as { to: RunState }),
    reportPlan: (r, i) => p.reportPlan(r, i.body as never),
    reportChanges: (r, i) => p.reportChanges(r, i.body as never),
    reportPlanJson: (r, i) => p.reportPlanJson(r, i.body as never),
    reportOutputs: (r, i) => p.reportOutputs(r, i.body.outputs as Record<string, unknown>),
    appendLogs: (r, i) => p.appendLogs(r, i.body.phase as string, i.body.text as string),
  };
  for (const [name, e] of Object.entries(workerEndpoints) as [Name, Endpoint][]) {
    app.route({
      method: e.method,
      url: e.path.replace(/\{(\w+)\}/g, ":$1"),
      handler: async (req, reply) => {
        const params = parsePart(e.params, req.params, "params") as Record<string, string>;
        const body = parsePart(e.body, req.body, "body") as Record<string, unknown>;
        const input = { params, body, signal: hangUpSignal(reply) };
        const poolCall = pool[name];
        let result: unknown;
        if (poolCall) result = await poolCall(await authenticatePool(db, bearer(req)), input);
        else {
          const r = await authenticateRun(db, bearer(req));
          if (r.id !== params.id) throw new AppError("forbidden", `this run token belongs to run ${r.id}, not ${params.id}`);
          result = await run[name]!(r, input);
        }
        reply.status(e.status ?? 200);
        return e.response ? result : reply.send();
      },
    });
  }

  // Plan files and workspace archives are binary and can be large: raw bodies, not JSON.
  void app.register(async (inst) => {
    inst.addContentTypeParser("application/octet-stream", { parseAs: "buffer", bodyLimit: 1024 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    const path = "/api/v1/worker/runs/:id/artifacts/:kind";
    const check = async (req: FastifyRequest, use: "upload" | "download") => {
      const { id, kind } = req.params as { id: string; kind: string };
      const rules = Object.hasOwn(artifactKinds, kind) ? artifactKinds[kind] : undefined;
      if (!rules) throw new AppError("not_found", `no artifact kind ${JSON.stringify(kind)}: use ${Object.keys(artifactKinds).join(", ")}`);
      const r = await authenticateRun(db, bearer(req));
      if (r.id !== id) throw new AppError("forbidden", `this run token belongs to run ${r.id}, not ${id}`);
      if (!rules[use].has(r.state)) throw new AppError("conflict", `run ${id} is ${r.state}: its ${kind} cannot be ${use === "upload" ? "uploaded" : "downloaded"} now`);
      return { run: r, kind };
    };
    inst.put(path, async (req, reply) => {
      const { run: r, kind } = await check(req, "upload");
      if (!Buffer.isBuffer(req.body)) throw new AppError("bad_request", "send the artifact as application/octet-stream");
      await s.runEngine.blobs.put(db, "run", r.id, kind, req.body);
      if (kind === "workspace") await p.releaseAfterUpload(r);
      return reply.status(204).send();
    });
    inst.get(path, async (req, reply) => {
      const { run: r, kind } = await check(req, "download");
      const data = await s.runEngine.blobs.latest(db, "run", r.id, kind);
      if (!data) throw new AppError("not_found", `run ${r.id} has no ${kind}: it was never uploaded`);
      return reply.type("application/octet-stream").send(data);
    });
  });
}
