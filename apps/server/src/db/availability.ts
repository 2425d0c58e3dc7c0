/**
 * Tells a database that is away (PostgreSQL stopped or restarting, the network gone, a SQLite
 * disk full or failing) from a request that is wrong, so the HTTP layer can answer 503 with a
 * reason and a Retry-After instead of a 500. The classification lives here, next to the drivers,
 * because the codes are the drivers' own.
 */

/** PostgreSQL SQLSTATE classes and codes meaning "the server cannot serve now", not "your query is wrong". */
const pgUnavailable = /^(08\d{3}|57P0[1-4]|53\d{3}|58\d{3})$/;

/** Node socket errors met while connecting to or talking with PostgreSQL. */
const socketErrors = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

/** Messages node-postgres uses for a connection that died or never came up (it sets no code). */
const pgDriverMessages = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/**
 * Why the database cannot serve, as a sentence an operator can act on; undefined when `err` is
 * not about the database being away.
 */
export function databaseUnavailableReason(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== "object") return undefined;
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  if (code === "SQLITE_FULL" || /database or disk is full/i.test(message)) {
    return "the database disk is full: the request did not complete; free space on the data directory's file system, then retry";
  }
  if (code.startsWith("SQLITE_IOERR") || code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY") {
    return `the database file cannot be written (${code}): the request did not complete; check the data directory's disk and permissions, then retry`;
  }
  if (pgUnavailable.test(code) || socketErrors.has(code) || pgDriverMessages.test(message)) {
    return `the database is unreachable (${code || message.slice(0, 80)}): the request did not complete; retry shortly (GET /readyz answers 200 once it is back)`;
  }
  return undefined;
}
