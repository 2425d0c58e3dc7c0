import pg from "pg";
import type { Logger } from "pino";

/** First half of every subsystem's advisory lock key ("GS" for Gantry subsystem). */
const LOCK_CLASS = 0x4753;

/** A stable 32-bit key for a subsystem name (FNV-1a), the second half of its advisory lock key. */
export function subsystemLockKey(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(name, "utf8")) {
    h ^= ch;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * The PostgreSQL session advisory locks under which exclusive subsystems run, all held on one
 * dedicated connection per replica. A session lock lives exactly as long as its connection: when a
 * replica dies (or its connection breaks) PostgreSQL releases its locks, and another replica's
 * next try takes them. `lost` aborts when this side notices the connection is gone, so the
 * subsystems it held stop instead of running beside their new holder.
 */
export class PgSubsystemLocks {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private held = new Set<string>();
  private generation = new AbortController();
  /** The tail of the queries sent on `client`, one at a time (see `query`). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: string, private readonly log: Logger) {}

  /** Aborts when the connection that holds this replica's locks is lost. */
  get lost(): AbortSignal {
    return this.generation.signal;
  }

  /** Tries to take `name`'s lock; true when this replica holds it (now or already). */
  async tryLock(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const client = await this.connect();
    const { rows } = await this.query<{ got: boolean }>(client, "select pg_try_advisory_lock($1, $2) as got", [LOCK_CLASS, subsystemLockKey(name)]);
    if (rows[0]?.got) this.held.add(name);
    return Boolean(rows[0]?.got);
  }

  /** Gives `name`'s lock back (at shutdown, so another replica takes over at once). */
  async unlock(name: string): Promise<void> {
    if (!this.held.delete(name) || !this.client) return;
    await this.query(this.client, "select pg_advisory_unlock($1, $2)", [LOCK_CLASS, subsystemLockKey(name)]).catch(() => undefined);
  }

  /** Checks the connection; when it fails, drops it (and with it every lock) and aborts `lost`. */
  async check(): Promise<void> {
    if (!this.client) return;
    try {
      await this.query(this.client, "select 1");
    } catch (err) {
      this.drop(err);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held.clear();
    await client?.end().catch(() => undefined);
  }

  /**
   * Every exclusive subsystem asks for its lock on this one connection, often at the same moment.
   * pg would queue overlapping queries itself, but that is deprecated (and goes in pg 9): they are
   * chained here instead, each starting when the one before has settled.
   */
  private query<R extends pg.QueryResultRow = pg.QueryResultRow>(client: pg.Client, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const next = this.tail.then(() => client.query<R>(text, values));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
      client.on("error", (err) => this.drop(err));
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
      }
      this.client = client;
      return client;
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private drop(err: unknown): void {
    if (!this.client) return;
    this.log.error({ err, held: [...this.held] }, "lost the connection holding exclusive subsystem locks; stopping them until the lock is taken again");
    void this.client.end().catch(() => undefined);
    this.client = null;
    this.held.clear();
    this.generation.abort();
    this.generation = new AbortController();
  }
}
