import type { Logger } from "pino";
import { Authorizer } from "./auth/principal.js";
import type { SecretBox } from "./crypto/secret-box.js";
import type { Db, Dialect } from "./db/connect.js";
import { SpaceTree } from "./spaces/tree.js";

/** What every service is built from. Services get it whole and take only what they use. */
export interface Core {
  db: Db;
  dialect: Dialect;
  box: SecretBox;
  log: Logger;
}

/** Space-tree walks and authorization bound to a connection (the pool, or a transaction). */
export function scoped(db: Db): { tree: SpaceTree; authz: Authorizer } {
  const tree = new SpaceTree(db);
  return { tree, authz: new Authorizer(tree) };
}

/** Runs `fn` in a transaction: every write that touches several rows goes through here. */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => fn(trx as unknown as Db));
}
