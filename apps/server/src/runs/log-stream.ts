import type { RunLogEntry, RunState } from "@gantry/contract";
import type { buildApp } from "../http/app.js";
import { userOf } from "../auth/request-authentication.js";
import type { ProtocolOperation } from "../http/openapi.js";
import type { Services } from "../services.js";
import { isTerminal } from "./transitions.js";

/** Entries one call of the run log endpoint answers at most (see RunService.logs). */
const LOG_PAGE = 10_000;

/**
 * `GET /api/v1/runs/{id}/logs/stream`: server-sent events. Sends the stored entries after
 * `?after=` (or `Last-Event-ID`), then every new entry (`event: log`, id = seq) and state change
 * (`event: state`) as it happens, and `event: end` once the run is terminal.
 */
export function mountLogStream(app: ReturnType<typeof buildApp>, s: Services): void {
  // Open streams are cut (without `event: end`) when the server shuts down: the browser then
  // reconnects with Last-Event-ID to the next server, and closing does not wait for runs to end.
  const open = new Set<() => void>();
  app.addHook("preClose", (done) => {
    for (const cut of open) cut();
    done();
  });
  app.get("/api/v1/runs/:id/logs/stream", { config: { auth: "user" } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const actor = userOf(req);
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
      // The log endpoint answers at most one page (LOG_PAGE entries): a long log's backlog is
      // read page by page, or a page opened late would miss everything after the first page.
      for (let page = backlog.entries; page.length >= LOG_PAGE;) {
        const more = await s.runs.logs(actor, id, page.at(-1)!.seq);
        backlog = { entries: [...backlog.entries, ...more.entries], finished: more.finished };
        page = more.entries;
      }
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
    const cut = () => {
      ended = true;
      stop();
      clearInterval(ping);
      open.delete(cut);
      res.end();
    };
    open.add(cut);
    const end = () => {
      if (ended) return;
      ended = true;
      open.delete(cut);
      stop();
      clearInterval(ping);
      send("end", {});
      res.end();
    };
    req.raw.on("close", () => {
      ended = true;
      stop();
      clearInterval(ping);
      open.delete(cut);
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

export const logStreamOperations: ProtocolOperation[] = [
  {
    method: "get",
    path: "/api/v1/runs/{id}/logs/stream",
    operation: {
      operationId: "streamRunLogs", tags: ["runs"], summary: "server-sent events: a run's log entries and state changes as they happen", security: [{ bearer: [] }],
      parameters: [
        { name: "id", in: "path", required: true, schema: { type: "string" } },
        { name: "after", in: "query", required: false, schema: { type: "integer", minimum: 0 }, description: "send entries after this seq (or Last-Event-ID)" },
      ],
      responses: { "200": { description: "events log, state and end", content: { "text/event-stream": { schema: { type: "string" } } } } },
    },
  },
];
