import type { RunLogEntry, RunState } from "@gantry/contract";
import type { buildApp } from "../http/app.js";
import type { Db } from "../db/connect.js";
import { AppError } from "../errors.js";
import type { Services } from "../services.js";
import { authenticate } from "../users/authenticate.js";
import { isTerminal } from "./transitions.js";

/**
 * `GET /api/v1/runs/{id}/logs/stream`: server-sent events. Sends the stored entries after
 * `?after=` (or `Last-Event-ID`), then every new entry (`event: log`, id = seq) and state change
 * (`event: state`) as it happens, and `event: end` once the run is terminal.
 */
export function mountLogStream(app: ReturnType<typeof buildApp>, db: Db, s: Services): void {
  app.get("/api/v1/runs/:id/logs/stream", async (req, reply) => {
    const { id } = req.params as { id: string };
    const h = req.headers.authorization;
    const token = h?.startsWith("Bearer ") ? h.slice(7).trim() : undefined;
    const actor = token ? await authenticate(db, token, s.loginGate) : undefined;
    if (!actor) throw new AppError("unauthenticated", "authentication required: send an API key or session token as 'Authorization: Bearer <token>'");
    const q = req.query as { after?: string };
    let last = Number(req.headers["last-event-id"] ?? q.after ?? 0) || 0;
    const queue: RunLogEntry[] = [];
    const states: RunState[] = [];
    const live: { to?: { log(e: RunLogEntry): void; state(s: RunState): void } } = {};
    // Follow before reading the backlog, so nothing appended in between is lost.
    const stop = s.runEngine.events.follow(id, {
      log: (e) => (live.to ? live.to.log(e) : void queue.push(e)),
      state: (st) => (live.to ? live.to.state(st) : void states.push(st)),
    });
    let backlog;
    try {
      backlog = await s.runs.logs(actor, id, last); // also checks the read role
    } catch (err) {
      stop();
      throw err;
    }

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    // Headers go out now, not with the first event: a client waiting for them would otherwise wait for the first line or ping.
    res.flushHeaders();
    const send = (event: string, data: unknown, eventId?: number) => res.write(`${eventId !== undefined ? `id: ${eventId}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let ended = false;
    const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
    const end = () => {
      if (ended) return;
      ended = true;
      stop();
      clearInterval(ping);
      send("end", {});
      res.end();
    };
    req.raw.on("close", () => {
      ended = true;
      stop();
      clearInterval(ping);
    });
    const onLog = (e: RunLogEntry) => {
      if (ended || e.seq <= last) return;
      last = e.seq;
      send("log", e, e.seq);
    };
    const onState = (st: RunState) => {
      if (ended) return;
      send("state", { state: st });
      if (isTerminal(st)) end();
    };
    for (const e of backlog.entries) onLog(e);
    for (const e of queue) onLog(e);
    live.to = { log: onLog, state: onState };
    for (const st of states) onState(st);
    if (backlog.finished) end();
  });
}
