import { workerEndpoints, type Endpoint, type RunState } from "@gantry/contract";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { buildApp } from "../http/app.js";
import type { RunsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import { parsePart } from "../http/validate.js";
import type { Services } from "../services.js";
import { poolOf, runOf } from "../auth/request-authentication.js";
import type { ProtocolOperation } from "../http/openapi.js";
import type { PoolCredential } from "./credentials.js";

type Name = keyof typeof workerEndpoints;
type Input = { params: Record<string, string>; body: Record<string, unknown>; signal: AbortSignal };

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
    reportModules: (r, i) => s.moduleConsumers.record(r, i.body.modules as never),
    reportLockedProviders: (r, i) => s.providerPins.record(r, i.body.providers as never),
    appendLogs: (r, i) => p.appendLogs(r, i.body.phase as string, i.body.text as string),
  };
  for (const [name, e] of Object.entries(workerEndpoints) as [Name, Endpoint][]) {
    const poolCall = pool[name];
    app.route({
      method: e.method,
      url: e.path.replace(/\{(\w+)\}/g, ":$1"),
      config: { auth: poolCall ? "pool" : "run" },
      handler: async (req, reply) => {
        const params = parsePart(e.params, req.params, "params") as Record<string, string>;
        const body = parsePart(e.body, req.body, "body") as Record<string, unknown>;
        const input = { params, body, signal: hangUpSignal(reply) };
        let result: unknown;
        if (poolCall) result = await poolCall(poolOf(req), input);
        else {
          const r = runOf(req);
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
      const r = runOf(req);
      if (r.id !== id) throw new AppError("forbidden", `this run token belongs to run ${r.id}, not ${id}`);
      if (!rules[use].has(r.state)) throw new AppError("conflict", `run ${id} is ${r.state}: its ${kind} cannot be ${use === "upload" ? "uploaded" : "downloaded"} now`);
      return { run: r, kind };
    };
    const config = { auth: "run" as const };
    inst.put(path, { config }, async (req, reply) => {
      const { run: r, kind } = await check(req, "upload");
      if (!Buffer.isBuffer(req.body)) throw new AppError("bad_request", "send the artifact as application/octet-stream");
      await s.runEngine.blobs.put(db, "run", r.id, kind, req.body);
      if (kind === "workspace") await p.releaseAfterUpload(r);
      return reply.status(204).send();
    });
    inst.get(path, { config }, async (req, reply) => {
      const { run: r, kind } = await check(req, "download");
      const data = await s.runEngine.blobs.latest(db, "run", r.id, kind);
      if (!data) throw new AppError("not_found", `run ${r.id} has no ${kind}: it was never uploaded`);
      return reply.type("application/octet-stream").send(data);
    });
  });
}

const artifactParams = [
  { name: "id", in: "path", required: true, schema: { type: "string" } },
  { name: "kind", in: "path", required: true, schema: { type: "string", enum: Object.keys(artifactKinds) } },
];

/** The artifact routes in the OpenAPI document (the JSON worker calls come from the contract). */
export const workerArtifactOperations: ProtocolOperation[] = [
  {
    method: "put",
    path: "/api/v1/worker/runs/{id}/artifacts/{kind}",
    operation: {
      operationId: "uploadRunArtifact", tags: ["worker-protocol"], summary: "a worker uploads a run's plan file or workspace archive (run token)", security: [{ bearer: [] }], parameters: artifactParams,
      requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } },
      responses: { "204": { description: "stored" } },
    },
  },
  {
    method: "get",
    path: "/api/v1/worker/runs/{id}/artifacts/{kind}",
    operation: {
      operationId: "downloadRunArtifact", tags: ["worker-protocol"], summary: "a worker fetches a run's artifact to apply it (run token)", security: [{ bearer: [] }], parameters: artifactParams,
      responses: { "200": { description: "the artifact", content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } } },
    },
  },
];
