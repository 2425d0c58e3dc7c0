import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import type { Db } from "../db/connect.js";
import type { RelayedEvent, RunEvents } from "./events.js";

const CHANNEL = "gantry_run_events";

/**
 * Relays run events between server replicas over PostgreSQL LISTEN/NOTIFY, so a worker
 * long-polling on one replica is woken by a run queued through another. Each replica tags its
 * notifications and ignores its own (it already delivered them in-process). Live log lines are
 * not relayed: an SSE client on another replica sees state changes and reads stored entries.
 */
export async function startPgRelay(databaseUrl: string, db: Db, events: RunEvents, log: Logger): Promise<{ close(): Promise<void> }> {
  const origin = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  client.on("notification", (msg) => {
    if (!msg.payload) return;
    try {
      const { o, e } = JSON.parse(msg.payload) as { o: string; e: RelayedEvent };
      if (o !== origin) events.deliver(e);
    } catch (err) {
      log.warn({ err }, "ignoring a malformed run event notification");
    }
  });
  client.on("error", (err) => log.error({ err }, "the run event relay lost its PostgreSQL connection; replicas will notice work only on their next claim"));
  await client.query(`LISTEN ${CHANNEL}`);
  events.relay = (e) => {
    sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ o: origin, e })})`.execute(db).catch((err: unknown) => log.warn({ err }, "notifying other replicas failed"));
  };
  return {
    async close() {
      events.relay = undefined;
      await client.end().catch(() => undefined);
    },
  };
}
