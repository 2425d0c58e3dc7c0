import type { CreateStack, Stack, StackListItem, StackSort, UpdateStack } from "@gantry/contract";
import { sql } from "kysely";
import type { z } from "zod";
import { explainStack } from "../attachments/resolve.js";
import { assertAttachmentsReachable, reachCache } from "../attachments/reach.js";
import { stackAccess } from "../access/stack-access.js";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, lockTree, scoped, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { constraintKind, now } from "../db/rows.js";
import type { StacksTable } from "../db/schema.js";
import { STACK_DOCUMENT_COLUMNS, type StackDocumentRow } from "../runs/policy-documents.js";
import { alreadyExists, conflict, invalidField, notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { slugify } from "../slug.js";
import { assertVcsIntegrationUsable } from "../vcs/integrations/service.js";
import { newestRunOfStacks } from "../runs/repository.js";
import { afterCursor, orderStacks } from "./list-order.js";
import { deleteStackRows } from "./repository.js";
import { settingsToColumns, stackFromRow } from "./rows.js";
import { vendorColumns } from "./vendor.js";

async function assertSpaceExists(db: Db, spaceId: string): Promise<void> {
  const s = await db.selectFrom("spaces").select("id").where("id", "=", spaceId).executeTakeFirst();
  if (!s) throw invalidField(["spaceId"], `space ${JSON.stringify(spaceId)} does not exist`);
}

/**
 * A private worker pool runs the stack's code with whatever the pool's machines can reach, so the
 * pool must be within the stack's reach (its space or an inherited one above) and readable by
 * the caller.
 */
export async function assertWorkerPoolUsable(db: Db, actor: Principal, workerPoolId: string | null | undefined, stackSpaceId: string): Promise<void> {
  if (!workerPoolId) return;
  const pool = await db.selectFrom("worker_pools").select(["id", "space_id"]).where("id", "=", workerPoolId).executeTakeFirst();
  if (!pool) throw invalidField(["workerPoolId"], `worker pool ${JSON.stringify(workerPoolId)} does not exist`);
  const reach = await reachCache(db)(stackSpaceId);
  if (!reach.some((s) => s.id === pool.space_id)) {
    throw invalidField(["workerPoolId"], `worker pool ${workerPoolId} is in space ${pool.space_id}, which a stack in space ${stackSpaceId} cannot reach`);
  }
  await scoped(db).authz.require(actor, pool.space_id, "read", "using a worker pool");
}

/** A module's test host (module:<id>) follows its module: it is changed and deleted through the module. */
function refuseModuleHost(row: StacksTable): void {
  if (row.module_id) throw conflict(`stack ${JSON.stringify(row.id)} holds the test runs of module ${JSON.stringify(row.module_id)}: change or delete the module instead`);
}

/** Stacks: one root module of one environment, with its settings. */
export function stackService(core: Core) {
  const { db } = core;
  const access = stackAccess(core);

  /** Adds each listed stack's newest run (one indexed read for the page). */
  async function withLastRuns(page: { items: Stack[]; nextCursor: string | null }): Promise<{ items: StackListItem[]; nextCursor: string | null }> {
    const newest = await newestRunOfStacks(db, page.items.map((s) => s.id));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((s) => {
        const r = newest.get(s.id);
        return { ...s, lastRun: r ? { id: r.id, type: r.type, state: r.state, commitSha: r.commit_sha, createdAt: r.created_at } : null };
      }),
    };
  }

  async function load(id: string, d: Db = db): Promise<StacksTable> {
    const row = await d.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("stack", id);
    return row;
  }

  return {
    load,

    async list(actor: Principal, q: { limit: number; cursor?: string; spaceId?: string; label?: string; state?: string; search?: string; drifted?: "true" | "false"; sort?: StackSort }) {
      // ACCESS policies can grant read beyond the space roles and deny it within them, so with
      // policies in play every stack is a candidate and each page is filtered row by row.
      const byPolicy = await access.policiesApply(db, actor);
      const visible = byPolicy ? "all" : await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [], nextCursor: null };
      // Modules' test hosts (module:<id>) are modules, not stacks: they are not listed here.
      let query = db.selectFrom("stacks").where("module_id", "is", null);
      if (visible !== "all") query = query.where("space_id", "in", visible);
      if (q.spaceId) query = query.where("space_id", "=", q.spaceId);
      if (q.label) {
        // Labels are stored as a JSON array: match an element exactly, in SQL, so pages stay full.
        const label = q.label;
        query = query.where(
          core.dialect === "postgres"
            ? sql<boolean>`labels::jsonb @> ${JSON.stringify([label])}::jsonb`
            : sql<boolean>`exists (select 1 from json_each(stacks.labels) where json_each.value = ${label})`,
        );
      }
      if (q.state) query = query.where("state", "=", q.state);
      if (q.drifted) query = query.where("drift_detected_at", q.drifted === "true" ? "is not" : "is", null);
      if (q.search) {
        const like = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where((eb) => eb.or([sql<boolean>`lower(stacks.id) like ${like} escape '\\'`, sql<boolean>`lower(stacks.name) like ${like} escape '\\'`]));
      }
      // A sorted list pages by (sort value, id); the default order is the id alone.
      const sort = q.sort;
      query = sort ? orderStacks(query, sort) : query.orderBy("id");
      const after = (qb: typeof query, id: string) => (sort ? afterCursor(db, qb, sort, id) : qb.where("id", ">", id));
      if (!byPolicy) {
        if (q.cursor) query = await after(query, q.cursor);
        return withLastRuns(pageOf((await query.selectAll().limit(q.limit + 1).execute()).map(stackFromRow), q.limit));
      }
      // Start with one page's worth (a caller who sees most stacks needs no more) and read
      // further in growing chunks while the policies hide rows. The scan reads only the columns
      // a decision needs; the page's own rows are read whole at the end.
      const found: StackDocumentRow[] = [];
      for (let from = q.cursor, chunk = q.limit + 1; found.length <= q.limit; chunk = Math.min(chunk * 2, 5_000)) {
        const rows = await (from ? await after(query, from) : query).select([...STACK_DOCUMENT_COLUMNS]).limit(chunk).execute();
        found.push(...(await access.readable(db, actor, rows)));
        if (rows.length < chunk) break;
        from = rows[rows.length - 1]!.id;
      }
      const ids = found.slice(0, q.limit + 1).map((r) => r.id);
      // Read whole in the list's order (the sort's, not the ids').
      const whole = new Map((ids.length === 0 ? [] : await db.selectFrom("stacks").selectAll().where("id", "in", ids).execute()).map((r) => [r.id, r]));
      return withLastRuns(pageOf(ids.map((id) => stackFromRow(whole.get(id)!)), q.limit));
    },

    async get(actor: Principal, id: string) {
      const row = await load(id);
      await access.require(db, actor, row, "read", "reading a stack");
      return stackFromRow(row);
    },

    async explain(actor: Principal, id: string) {
      const row = await load(id);
      await access.require(db, actor, row, "read", "reading a stack");
      return explainStack(db, row);
    },

    async create(actor: Principal, input: z.output<typeof CreateStack>) {
      return inTransaction(db, async (trx) => {
        await assertSpaceExists(trx, input.spaceId);
        await assertWorkerPoolUsable(trx, actor, input.workerPoolId, input.spaceId);
        await assertVcsIntegrationUsable(trx, input.vcsIntegrationId, input.spaceId);
        const { authz } = scoped(trx);
        await authz.require(actor, input.spaceId, "write", "creating a stack");
        // Administrative stacks' runs get a Gantry API credential: only admins may create them.
        if (input.administrative) await authz.require(actor, input.spaceId, "admin", "creating an administrative stack");
        const at = now();
        const row = {
          id: input.id ?? slugify(input.name),
          name: input.name,
          ...settingsToColumns(input),
          ...vendorColumns(input),
          locked_by: null,
          state: "NONE",
          created_at: at,
          updated_at: at,
        } as StacksTable;
        try {
          await trx.insertInto("stacks").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("stack", row.id, input.id ? ["id"] : ["name"]);
          throw err;
        }
        await recordAudit(trx, actor, { action: "stack.create", targetType: "stack", targetId: row.id, spaceId: row.space_id, payload: input });
        return stackFromRow(row);
      });
    },

    async update(actor: Principal, id: string, input: z.output<typeof UpdateStack>) {
      return inTransaction(db, async (trx) => {
        if (input.spaceId !== undefined) await lockTree(trx, core.dialect);
        const row = await load(id, trx);
        refuseModuleHost(row);
        const { authz } = scoped(trx);
        await access.require(trx, actor, row, "write", "changing a stack");
        const moving = input.spaceId !== undefined && input.spaceId !== row.space_id;
        if (moving) {
          await assertSpaceExists(trx, input.spaceId!);
          await authz.require(actor, input.spaceId!, "write", "moving a stack into a space");
        }
        const next: StacksTable = { ...row, ...settingsToColumns(input), ...vendorColumns(input, row), name: input.name ?? row.name, updated_at: now() };
        if (input.workerPoolId !== undefined || moving) await assertWorkerPoolUsable(trx, actor, next.worker_pool_id, next.space_id);
        if (input.vcsIntegrationId !== undefined || moving) await assertVcsIntegrationUsable(trx, next.vcs_integration_id, next.space_id);
        if (next.administrative !== row.administrative || (next.administrative && moving)) {
          await authz.require(actor, next.space_id, "admin", "making a stack administrative (or moving one)");
          if (moving) await authz.require(actor, row.space_id, "admin", "moving an administrative stack");
        }
        await trx.updateTable("stacks").set(next).where("id", "=", id).execute();
        if (moving) await assertAttachmentsReachable(trx, [], [id]);
        await recordAudit(trx, actor, { action: "stack.update", targetType: "stack", targetId: id, spaceId: next.space_id, payload: input });
        return stackFromRow(next);
      });
    },

    async delete(actor: Principal, id: string) {
      await inTransaction(db, async (trx) => {
        const row = await load(id, trx);
        refuseModuleHost(row);
        await access.require(trx, actor, row, "write", "deleting a stack");
        if (row.protect_from_deletion) {
          throw conflict(`stack ${JSON.stringify(id)} is protected from deletion: set protectFromDeletion to false first`);
        }
        await deleteStackRows(trx, id);
        await recordAudit(trx, actor, { action: "stack.delete", targetType: "stack", targetId: id, spaceId: row.space_id });
      });
    },
  };
}

export type StackService = ReturnType<typeof stackService>;
