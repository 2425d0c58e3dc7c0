import type { AttachableKind } from "@gantry/contract";
import { sql } from "kysely";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, lockTree, scoped, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { constraintKind } from "../db/rows.js";
import { alreadyExists, invalidField, notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { attachableTables } from "./kinds.js";
import { assertEntityAttachmentsReachable } from "./reach.js";

interface EntityRow { id: string; space_id: string }

/**
 * What contexts, policies and integrations share: they live in a space, are read with the read
 * role there and managed with admin, and are attached to stacks. Each kind's service adds its
 * own create and update on top.
 */
export function entityCrud<Row extends EntityRow, Out>(core: Core, kind: AttachableKind, fromRow: (r: Row) => Out) {
  const { db } = core;
  const { table, noun } = attachableTables[kind];

  async function load(id: string, d: Db = db): Promise<Row> {
    const { rows } = await sql<Row>`select * from ${sql.table(table)} where id = ${id}`.execute(d);
    if (!rows[0]) throw notFound(noun, id);
    return rows[0];
  }

  return {
    load,

    async list(actor: Principal, q: { limit: number; cursor?: string; where?: Record<string, string> }) {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [], nextCursor: null };
      const conds = [sql`1 = 1`];
      if (visible !== "all") conds.push(sql`space_id in (${sql.join(visible)})`);
      if (q.cursor) conds.push(sql`id > ${q.cursor}`);
      for (const [col, v] of Object.entries(q.where ?? {})) conds.push(sql`${sql.ref(col)} = ${v}`);
      const { rows } = await sql<Row>`select * from ${sql.table(table)} where ${sql.join(conds, sql` and `)} order by id limit ${q.limit + 1}`.execute(db);
      const page = pageOf(rows, q.limit);
      return { items: page.items.map(fromRow), nextCursor: page.nextCursor };
    },

    async get(actor: Principal, id: string): Promise<Out> {
      const row = await load(id);
      await scoped(db).authz.require(actor, row.space_id, "read", `reading a ${noun}`);
      return fromRow(row);
    },

    /** Inserts a new entity after checking its space and the caller's admin role there. */
    async insert(trx: Db, actor: Principal, row: Row, payload: Record<string, unknown>): Promise<Out> {
      const space = await trx.selectFrom("spaces").select("id").where("id", "=", row.space_id).executeTakeFirst();
      if (!space) throw invalidField(["spaceId"], `space ${JSON.stringify(row.space_id)} does not exist`);
      await scoped(trx).authz.require(actor, row.space_id, "admin", `creating a ${noun}`);
      try {
        await trx.insertInto(table).values(row as never).execute();
      } catch (err) {
        if (constraintKind(err) === "unique") throw alreadyExists(noun, row.id, payload.id !== undefined ? ["id"] : ["name"]);
        throw err;
      }
      await recordAudit(trx, actor, { action: `${kind}.create`, targetType: kind, targetId: row.id, spaceId: row.space_id, payload });
      return fromRow(row);
    },

    /** Applies `change` to the row in a transaction, checking admin in the old and (when moved) the new space. */
    async change(actor: Principal, id: string, payload: Record<string, unknown>, change: (row: Row, trx: Db) => Row | Promise<Row>): Promise<Out> {
      return inTransaction(db, async (trx) => {
        await lockTree(trx, core.dialect);
        const row = await load(id, trx);
        const { authz } = scoped(trx);
        await authz.require(actor, row.space_id, "admin", `changing a ${noun}`);
        // Checks inside `change` read through the transaction: SQLite has one connection, which it holds.
        const next = await change(row, trx);
        const moving = next.space_id !== row.space_id;
        if (moving) {
          const space = await trx.selectFrom("spaces").select("id").where("id", "=", next.space_id).executeTakeFirst();
          if (!space) throw invalidField(["spaceId"], `space ${JSON.stringify(next.space_id)} does not exist`);
          await authz.require(actor, next.space_id, "admin", `moving a ${noun} into a space`);
        }
        await trx.updateTable(table).set(next as never).where("id", "=", id).execute();
        if (moving) await assertEntityAttachmentsReachable(trx, kind, id);
        await recordAudit(trx, actor, { action: `${kind}.update`, targetType: kind, targetId: id, spaceId: next.space_id, payload });
        return fromRow(next);
      });
    },

    async remove(actor: Principal, id: string, extra?: (trx: Db) => Promise<void>): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await load(id, trx);
        await scoped(trx).authz.require(actor, row.space_id, "admin", `deleting a ${noun}`);
        await extra?.(trx);
        await trx.deleteFrom("attachments").where("kind", "=", kind).where("entity_id", "=", id).execute();
        await trx.deleteFrom(table).where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: `${kind}.delete`, targetType: kind, targetId: id, spaceId: row.space_id });
      });
    },
  };
}
