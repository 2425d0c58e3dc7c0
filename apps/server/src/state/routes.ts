import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Principal } from "../auth/principal.js";
import type { RouteAuth } from "../auth/request-authentication.js";
import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { buildApp } from "../http/app.js";
import type { ProtocolOperation } from "../http/openapi.js";
import type { LockInfo, LockResult, StateService } from "./service.js";

/** States in which a run's credentials open its stack's state (init, plan and apply all lock). */
const runStates = new Set(["PREPARING", "INITIALIZING", "PLANNING", "APPLYING", "PERFORMING", "DESTROYING"]);

type Caller = { kind: "run"; run: RunsTable } | { kind: "user"; principal: Principal };

/** The caller the authentication hook resolved for a `state` route: a run or a person. */
function callerOf(req: FastifyRequest): Caller {
  const c = req.caller;
  if (c.kind === "run") return { kind: "run", run: c.run };
  if (c.kind === "user") return { kind: "user", principal: c.principal };
  throw new AppError("unauthenticated", "the state backend needs credentials: runs get them injected (TF_HTTP_PASSWORD); people use an API key as the password");
}

const parseLock = (body: unknown): LockInfo | undefined => {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  try {
    const info = JSON.parse(body.toString("utf8")) as LockInfo;
    return typeof info.ID === "string" ? info : undefined;
  } catch {
    throw new AppError("bad_request", "the lock info is not valid JSON");
  }
};

function answer(reply: FastifyReply, r: LockResult) {
  if (r.ok) return reply.status(200).send();
  return reply.status(423).type("application/json").send(JSON.stringify(r.holder));
}

/**
 * Terraform's HTTP state backend at `/state/<stack>` (lock at `/state/<stack>/lock`), as measured
 * on terraform 1.11: GET (204 when empty), POST ?ID= (a new version), LOCK/UNLOCK (423 with the
 * holder's lock info on conflict), DELETE. An UNLOCK with an empty body is `force-unlock`.
 */
export function mountStateBackend(app: ReturnType<typeof buildApp>, db: Db, state: StateService): void {
  app.addHttpMethod("LOCK", { hasBody: true });
  app.addHttpMethod("UNLOCK", { hasBody: true });

  void app.register(async (inst) => {
    // State and lock bodies are kept byte for byte (Content-MD5 is over the raw body).
    inst.removeAllContentTypeParsers();
    inst.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 512 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    /** Authenticates and authorizes a caller on the stack: its own run, or a person with `role`. */
    const authorize = async (req: FastifyRequest, role: "write" | "admin"): Promise<{ stackId: string; caller: Caller }> => {
      const { stack: stackId } = req.params as { stack: string };
      const stack = await state.loadStack(db, stackId);
      const caller = callerOf(req);
      if (caller.kind === "run") {
        if (caller.run.stack_id !== stackId) throw new AppError("forbidden", `this run's credentials open the state of stack ${caller.run.stack_id} only`);
        if (!runStates.has(caller.run.state)) throw new AppError("forbidden", `run ${caller.run.id} is ${caller.run.state}: its state credentials are valid only while it runs`);
        if (role === "admin") throw new AppError("forbidden", "a run cannot do this to the state: an admin of the stack's space can");
        if (stack.manage_state !== 1) throw new AppError("conflict", `stack ${stackId} does not use managed state`);
      } else await state.requireStack(db, caller.principal, stack, role, "using a stack's managed state");
      return { stackId, caller };
    };
    const runId = (c: Caller) => (c.kind === "run" ? c.run.id : null);

    const config = { auth: "state" as RouteAuth };
    inst.get("/state/:stack", { config }, async (req, reply) => {
      const { stackId } = await authorize(req, "write");
      const data = await state.read(stackId);
      return data ? reply.type("application/json").send(data) : reply.status(204).send();
    });

    inst.post("/state/:stack", { config }, async (req, reply) => {
      const { stackId, caller } = await authorize(req, "write");
      const body = req.body as Buffer;
      const md5 = req.headers["content-md5"];
      if (typeof md5 === "string" && createHash("md5").update(body).digest("base64") !== md5) throw new AppError("bad_request", "the state body does not match its Content-MD5: send it again");
      const { ID } = req.query as { ID?: string };
      return answer(reply, await state.write(stackId, body, ID, runId(caller)));
    });

    inst.route({
      method: "LOCK",
      url: "/state/:stack/lock",
      config,
      handler: async (req, reply) => {
        const { stackId, caller } = await authorize(req, "write");
        const info = parseLock(req.body);
        if (!info) throw new AppError("bad_request", "LOCK needs terraform's lock info as its body");
        return answer(reply, await state.lock(stackId, info, runId(caller)));
      },
    });

    inst.route({
      method: "UNLOCK",
      url: "/state/:stack/lock",
      config,
      handler: async (req, reply) => {
        const info = parseLock(req.body);
        if (info) {
          const { stackId } = await authorize(req, "write");
          return answer(reply, await state.unlock(stackId, info.ID, false));
        }
        // terraform force-unlock sends no lock id: only an admin, or the run holding the lock.
        const { stack: stackId } = req.params as { stack: string };
        const caller = callerOf(req);
        if (caller.kind === "run" && (await state.heldByRun(stackId)) === caller.run.id) return answer(reply, await state.unlock(stackId, undefined, true));
        await authorize(req, "admin");
        return answer(reply, await state.unlock(stackId, undefined, true));
      },
    });

    inst.delete("/state/:stack", { config }, async (req) => {
      await authorize(req, "admin");
      throw new AppError("not_supported", "deleting a stack's managed state is not supported: roll back to an earlier version instead");
    });
  });
}

const stackParam = [{ name: "stack", in: "path", required: true, schema: { type: "string" } }];
const stateOp = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({
  operationId, tags: ["state-backend"], summary, security: [{ basic: [] }, { bearer: [] }], parameters: stackParam, responses: { "200": { description: "done" } }, ...extra,
});
const lockBody = { content: { "application/json": { schema: { type: "object", description: "terraform's lock info (ID, Operation, Who, ...)" } } } };

/** Terraform's HTTP state backend in the OpenAPI document; LOCK and UNLOCK appear as x-lock and x-unlock. */
export const stateBackendOperations: ProtocolOperation[] = [
  { method: "get", path: "/state/{stack}", operation: stateOp("readState", "terraform reads the stack's current state (204 when there is none)") },
  { method: "post", path: "/state/{stack}", operation: stateOp("writeState", "terraform writes a new state version (?ID= the lock id)", { requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } } }) },
  { method: "delete", path: "/state/{stack}", operation: stateOp("deleteState", "refused: roll back to an earlier version instead (501)") },
  { method: "lock", path: "/state/{stack}/lock", operation: stateOp("lockState", "terraform takes the state lock (423 with the holder's lock info when held)", { requestBody: lockBody }) },
  { method: "unlock", path: "/state/{stack}/lock", operation: stateOp("unlockState", "terraform releases the lock; an empty body is force-unlock (admin, or the holding run)", { requestBody: lockBody }) },
];
