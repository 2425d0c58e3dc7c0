import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import type { Db } from "../db/connect.js";
import type { Subsystem } from "../subsystems/subsystem.js";
import type { RelayedEvent, RunEvents } from "./events.js";

const CHANNEL = "gantry_run_events";

/**
 * Relays run events between server replicas over PostgreSQL LISTEN/NOTIFY, so a worker
 * long-polling on one replica is woken by a run queued through another, and an SSE client on
 * one replica sees the log lines a worker appends through another, live. Each replica tags its
 * notifications and ignores its own (it already delivered them in-process).
 *
 * Log events carry only (run id, seq): the receiving replica reads the stored entry, and only
 * when someone there follows that run. Order is kept end to end: a worker appends one batch at
 * a time and the append awaits its NOTIFY, PostgreSQL delivers one sender's notifications in
 * order, and the reads here are chained, so entries reach the stream in sequence.
 */
export function pgRelaySubsystem(databaseUrl: string, db: Db, events: RunEvents): Subsystem {
  return {
    name: "pg-relay",
    mode: "every-replica",
    async run({ signal, log }) {
      const relay = await startPgRelay(databaseUrl, db, events, log);
      // Until shutdown, or until the connection breaks: then the runner starts a new relay.
      const lost = await Promise.race([relay.broken, new Promise<null>((r) => signal.addEventListener("abort", () => r(null), { once: true }))]);
      await relay.close();
      if (lost) throw lost;
    },
  };
}

async function startPgRelay(databaseUrl: string, db: Db, events: RunEvents, log: Logger): Promise<{ close(): Promise<void>; broken: Promise<Error> }> {
  const origin = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let reads: Promise<void> = Promise.resolve();
  const readLog = (runId: string, seq: number) => {
    if (!events.followed(runId)) return;
    reads = reads.then(async () => {
      const row = await db.selectFrom("run_logs").selectAll().where("run_id", "=", runId).where("seq", "=", seq).executeTakeFirst();
      if (row) events.deliverLog(runId, { seq: Number(row.seq), phase: row.phase, text: row.text, at: row.at });
    }).catch((err: unknown) => log.warn({ err, runId, seq }, "reading a relayed log entry failed; the stream's client gets it on reconnect"));
  };
  client.on("notification", (msg) => {
    if (!msg.payload) return;
    try {
      const { o, e } = JSON.parse(msg.payload) as { o: string; e: RelayedEvent };
      if (o === origin) return;
      if (e.kind === "log") readLog(e.runId, e.seq);
      else events.deliver(e);
    } catch (err) {
      log.warn({ err }, "ignoring a malformed run event notification");
    }
  });
  let fail: (err: Error) => void = () => undefined;
  const broken = new Promise<Error>((r) => (fail = r));
  client.on("error", (err) => {
    log.error({ err }, "the run event relay lost its PostgreSQL connection; reconnecting (until then replicas notice work only on their next claim)");
    fail(err);
  });
  await client.query(`LISTEN ${CHANNEL}`);
  events.relay = async (e) => {
    await sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ o: origin, e })})`.execute(db).then(
      () => undefined,
      (err: unknown) => log.warn({ err }, "notifying other replicas failed"),
    );
  };
  return {
    broken,
    async close() {
      events.relay = undefined;
      await client.end().catch(() => undefined);
    },
  };
}
