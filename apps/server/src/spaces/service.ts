import type { CreateSpace, UpdateSpace} from "@gantry/contract";
import { type Space } from "@gantry/contract";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, lockTree, scoped, type Core } from "../core.js";
import { constraintKind, fromBool, now, parseJson, toBool } from "../db/rows.js";
import type { SpacesTable } from "../db/schema.js";
import { alreadyExists, AppError, conflict, invalidField, notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { uniqueSlug } from "../slug.js";
import { assertAttachmentsReachable } from "../attachments/reach.js";

export function spaceFromRow(r: SpacesTable): Space {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    parentSpaceId: r.parent_space_id,
    inheritEntities: toBool(r.inherit_entities),
    labels: parseJson(r.labels),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Spaces: the tree that carries access rights and entity reach. */
export function spaceService(core: Core) {
  const { db } = core;

  async function load(id: string, d = db): Promise<SpacesTable> {
    const row = await d.selectFrom("spaces").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("space", id);
    return row;
  }

  return {
    async list(actor: Principal, q: { limit: number; cursor?: string }) {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [], nextCursor: null };
      let query = db.selectFrom("spaces").selectAll().orderBy("id").limit(q.limit + 1);
      if (visible !== "all") query = query.where("id", "in", visible);
      if (q.cursor) query = query.where("id", ">", q.cursor);
      const rows = await query.execute();
      return pageOf(rows.map(spaceFromRow), q.limit);
    },

    async get(actor: Principal, id: string) {
      const row = await load(id);
      await scoped(db).authz.require(actor, id, "read", "reading a space");
      return spaceFromRow(row);
    },

    async create(actor: Principal, input: z.output<typeof CreateSpace>) {
      return inTransaction(db, async (trx) => {
        const parent = await trx.selectFrom("spaces").select("id").where("id", "=", input.parentSpaceId).executeTakeFirst();
        if (!parent) throw invalidField(["parentSpaceId"], `space ${JSON.stringify(input.parentSpaceId)} does not exist`);
        await scoped(trx).authz.require(actor, input.parentSpaceId, "admin", "creating a space");
        const at = now();
        const row: SpacesTable = {
          id: input.id ?? uniqueSlug(input.name),
          name: input.name,
          description: input.description,
          parent_space_id: input.parentSpaceId,
          inherit_entities: fromBool(input.inheritEntities),
          labels: JSON.stringify(input.labels),
          created_at: at,
          updated_at: at,
        };
        try {
          await trx.insertInto("spaces").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("space", row.id, input.id ? ["id"] : undefined);
          throw err;
        }
        await recordAudit(trx, actor, { action: "space.create", targetType: "space", targetId: row.id, spaceId: row.id, payload: input });
        return spaceFromRow(row);
      });
    },

    async update(actor: Principal, id: string, input: z.output<typeof UpdateSpace>) {
      return inTransaction(db, async (trx) => {
        await lockTree(trx, core.dialect);
        const row = await load(id, trx);
        const { authz, tree } = scoped(trx);
        await authz.require(actor, id, "admin", "changing a space");
        const moving = input.parentSpaceId !== undefined && input.parentSpaceId !== row.parent_space_id;
        if (moving) {
          if (id === "root") throw invalidField(["parentSpaceId"], "the root space cannot be moved");
          const target = input.parentSpaceId!;
          const targetChain = await tree.ancestors(target);
          if (targetChain.length === 0) throw invalidField(["parentSpaceId"], `space ${JSON.stringify(target)} does not exist`);
          if (targetChain.some((s) => s.id === id)) {
            throw invalidField(["parentSpaceId"], `moving space ${JSON.stringify(id)} under ${JSON.stringify(target)} would make a cycle: ${JSON.stringify(target)} is inside it`);
          }
          await authz.require(actor, target, "admin", "moving a space into another");
        }
        if (id === "root" && input.inheritEntities) throw invalidField(["inheritEntities"], "the root space has no parent to inherit from");
        const inheritChanges = input.inheritEntities !== undefined && fromBool(input.inheritEntities) !== row.inherit_entities;
        if ((moving || inheritChanges) && row.parent_space_id) {
          // Policies and contexts from above reach a space through its parent: leaving that reach
          // (by moving, or by no longer inheriting) is the parent's admins' decision too.
          await authz.require(actor, row.parent_space_id, "admin", moving ? "moving a space out of its parent" : "changing whether a space inherits from its parent");
        }
        const next: SpacesTable = {
          ...row,
          name: input.name ?? row.name,
          description: input.description ?? row.description,
          parent_space_id: input.parentSpaceId ?? row.parent_space_id,
          inherit_entities: input.inheritEntities === undefined ? row.inherit_entities : fromBool(input.inheritEntities),
          labels: input.labels ? JSON.stringify(input.labels) : row.labels,
          updated_at: now(),
        };
        await trx.updateTable("spaces").set(next).where("id", "=", id).execute();
        if (moving || next.inherit_entities !== row.inherit_entities) {
          // Reach follows the tree: a move or an inheritance change must not strand an attachment.
          await assertAttachmentsReachable(trx, await tree.subtree([id]));
        }
        await recordAudit(trx, actor, { action: "space.update", targetType: "space", targetId: id, spaceId: id, payload: input });
        return spaceFromRow(next);
      });
    },

    async delete(actor: Principal, id: string) {
      await inTransaction(db, async (trx) => {
        const row = await load(id, trx);
        if (id === "root") throw new AppError("conflict", "the root space cannot be deleted");
        await scoped(trx).authz.require(actor, id, "admin", "deleting a space");
        const contents: string[] = [];
        const count = async (table: "spaces" | "modules" | "contexts" | "policies" | "aws_integrations", col: "parent_space_id" | "space_id", what: string) => {
          const r = await trx.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as("n")).where(col, "=", id).executeTakeFirstOrThrow();
          if (Number(r.n) > 0) contents.push(`${r.n} ${what}`);
        };
        await count("spaces", "parent_space_id", "child space(s)");
        // A module's host stack (module:<id>, which runs its tests) is the module, not a stack of its own.
        const stacks = await trx.selectFrom("stacks").select((eb) => eb.fn.countAll<string | number>().as("n")).where("space_id", "=", id).where("module_id", "is", null).executeTakeFirstOrThrow();
        if (Number(stacks.n) > 0) contents.push(`${stacks.n} stack(s)`);
        await count("modules", "space_id", "module(s)");
        await count("contexts", "space_id", "context(s)");
        await count("policies", "space_id", "policy(ies)");
        await count("aws_integrations", "space_id", "AWS integration(s)");
        if (contents.length > 0) throw conflict(`space ${JSON.stringify(id)} is not empty (${contents.join(", ")}): move or delete them first`);
        await trx.deleteFrom("role_bindings").where("space_id", "=", id).execute();
        await trx.deleteFrom("spaces").where("id", "=", id).execute();
        // Recorded against the parent: the space itself no longer exists to be administered.
        await recordAudit(trx, actor, { action: "space.delete", targetType: "space", targetId: id, spaceId: row.parent_space_id });
      });
    },
  };
}

export type SpaceService = ReturnType<typeof spaceService>;
