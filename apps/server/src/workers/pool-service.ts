import type { CreateWorkerPool } from "@gantry/contract";
import { ulid } from "ulid";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { constraintKind, now } from "../db/rows.js";
import type { WorkerPoolsTable } from "../db/schema.js";
import { alreadyExists, conflict, invalidField, notFound } from "../errors.js";
import { DEFAULT_POOL } from "../runs/service.js";
import { slugify } from "../slug.js";
import { poolFromRow, workerFromRow } from "./rows.js";
import { newMachineToken } from "./tokens.js";

/** Issues a new token for a pool, replacing the ones it had. */
async function replaceToken(trx: Db, poolId: string): Promise<string> {
  await trx.deleteFrom("worker_tokens").where("pool_id", "=", poolId).execute();
  const id = ulid();
  const { token, secretHash } = newMachineToken("gwp", id);
  await trx.insertInto("worker_tokens").values({ id, pool_id: poolId, secret_hash: secretHash, created_at: now() }).execute();
  return token;
}

/** Private worker pools (managed in a space, admin to change) and the built-in pool's credentials. */
export function workerPoolService(core: Core) {
  const { db } = core;

  async function load(d: Db, id: string): Promise<WorkerPoolsTable> {
    const row = await d.selectFrom("worker_pools").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("worker pool", id);
    return row;
  }

  return {
    async list(actor: Principal) {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [] };
      let q = db.selectFrom("worker_pools").selectAll().orderBy("id");
      if (visible !== "all") q = q.where("space_id", "in", visible);
      return { items: (await q.execute()).map(poolFromRow) };
    },

    async get(actor: Principal, id: string) {
      const row = await load(db, id);
      await scoped(db).authz.require(actor, row.space_id, "read", "reading a worker pool");
      return poolFromRow(row);
    },

    async create(actor: Principal, input: z.output<typeof CreateWorkerPool>) {
      return inTransaction(db, async (trx) => {
        const space = await trx.selectFrom("spaces").select("id").where("id", "=", input.spaceId).executeTakeFirst();
        if (!space) throw invalidField(["spaceId"], `space ${JSON.stringify(input.spaceId)} does not exist`);
        await scoped(trx).authz.require(actor, input.spaceId, "admin", "creating a worker pool");
        const at = now();
        const row: WorkerPoolsTable = { id: input.id ?? slugify(input.name), name: input.name, description: input.description, space_id: input.spaceId, created_at: at, updated_at: at };
        const field = input.id ? ["id"] : ["name"];
        if (row.id === DEFAULT_POOL) throw alreadyExists("worker pool", row.id, field);
        try {
          await trx.insertInto("worker_pools").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("worker pool", row.id, field);
          throw err;
        }
        const token = await replaceToken(trx, row.id);
        await recordAudit(trx, actor, { action: "worker_pool.create", targetType: "worker_pool", targetId: row.id, spaceId: row.space_id, payload: { name: row.name } });
        return { pool: poolFromRow(row), token };
      });
    },

    async resetToken(actor: Principal, id: string) {
      return inTransaction(db, async (trx) => {
        const row = await load(trx, id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "resetting a worker pool's token");
        const token = await replaceToken(trx, id);
        await recordAudit(trx, actor, { action: "worker_pool.reset_token", targetType: "worker_pool", targetId: id, spaceId: row.space_id });
        return { token };
      });
    },

    async delete(actor: Principal, id: string) {
      await inTransaction(db, async (trx) => {
        const row = await load(trx, id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "deleting a worker pool");
        // Modules are named as modules (their host stack module:<id> mirrors the module's pool).
        const user = await trx.selectFrom("stacks").select("id").where("worker_pool_id", "=", id).where("module_id", "is", null).orderBy("id").limit(1).executeTakeFirst();
        if (user) throw conflict(`worker pool ${JSON.stringify(id)} is used by stack ${user.id}: move the stacks to another pool first`);
        const module = (await trx.selectFrom("modules").select("id").where("worker_pool_id", "=", id).orderBy("id").limit(1).executeTakeFirst())?.id
          ?? (await trx.selectFrom("stacks").select("module_id").where("worker_pool_id", "=", id).where("module_id", "is not", null).orderBy("id").limit(1).executeTakeFirst())?.module_id;
        if (module) throw conflict(`worker pool ${JSON.stringify(id)} runs the tests of module ${module}: set the module's workerPoolId to another pool first`);
        await trx.deleteFrom("worker_tokens").where("pool_id", "=", id).execute();
        await trx.deleteFrom("workers").where("pool_id", "=", id).execute();
        await trx.deleteFrom("worker_pools").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "worker_pool.delete", targetType: "worker_pool", targetId: id, spaceId: row.space_id });
      });
    },

    async workers(actor: Principal, id: string) {
      const row = await load(db, id);
      await scoped(db).authz.require(actor, row.space_id, "read", "reading a worker pool");
      const rows = await db.selectFrom("workers").selectAll().where("pool_id", "=", id).orderBy("id").execute();
      return { items: rows.map(workerFromRow) };
    },

    /**
     * A token for the built-in pool, for the worker that `gantry up` runs in-process (and for
     * workers an operator runs for stacks without a private pool). Each call adds a token.
     */
    async issueBuiltInWorkerToken(): Promise<string> {
      const id = ulid();
      const { token, secretHash } = newMachineToken("gwp", id);
      await db.insertInto("worker_tokens").values({ id, pool_id: DEFAULT_POOL, secret_hash: secretHash, created_at: now() }).execute();
      return token;
    },
  };
}
