import { sql } from "kysely";
import type { Tracing } from "@gantry/telemetry";
import type { Logger } from "pino";
import { Authorizer } from "./auth/principal.js";
import type { SecretBox } from "./crypto/secret-box.js";
import type { Db, Dialect } from "./db/connect.js";
import type { OutboundGuard } from "./notifications/outbound-guard.js";
import type { PolicyEngine } from "./policy-engine/index.js";
import { SpaceTree } from "./spaces/tree.js";

/** What every service is built from. Services get it whole and take only what they use. */
export interface Core {
  db: Db;
  dialect: Dialect;
  box: SecretBox;
  log: Logger;
  /** Evaluates Rego policies; without one, a policy that applies can only refuse (fail closed). */
  policyEngine?: PolicyEngine;
  /** OpenTelemetry spans of runs (states, policy evaluations); `Tracing.off` unless configured. */
  tracing?: Tracing;
  /** Which addresses the server may call on a user's say-so (webhooks, Slack, GitHub API URLs). */
  outboundGuard?: OutboundGuard;
}

/** Space-tree walks and authorization bound to a connection (the pool, or a transaction). */
export function scoped(db: Db): { tree: SpaceTree; authz: Authorizer } {
  const tree = new SpaceTree(db);
  return { tree, authz: new Authorizer(tree) };
}

/** Advisory lock key serializing changes to the space tree and to reach ("gtree" in ASCII). */
const TREE_LOCK = 0x6774726565;

/**
 * Serializes, within a transaction, the changes whose checks read the tree: moves, inheritance
 * changes and attachments. Under PostgreSQL's read-committed isolation two such changes could
 * each pass its check (no cycle, still in reach) and together break it. SQLite already runs one
 * transaction at a time.
 */
export async function lockTree(trx: Db, dialect: Dialect): Promise<void> {
  if (dialect === "postgres") await sql`select pg_advisory_xact_lock(${TREE_LOCK})`.execute(trx);
}

/** Runs `fn` in a transaction: every write that touches several rows goes through here. */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => fn(trx as unknown as Db));
}
