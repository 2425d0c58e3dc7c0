import type { InboxNotification } from "@gantry/contract";
import type { Principal } from "../auth/principal.js";
import { scoped, type Core } from "../core.js";
import { now } from "../db/rows.js";
import { notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { inboxFromRow } from "./rows.js";

/** The inbox: messages of the spaces a caller can read; each person acknowledges for themselves. */
export function inboxService(core: Core) {
  const { db } = core;

  return {
    async list(actor: Principal, q: { limit: number; cursor?: string; unacked?: "true" | "false" }) {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [], nextCursor: null };
      let query = db
        .selectFrom("notification_inbox")
        .leftJoin("notification_acks", (j) => j.onRef("notification_acks.notification_id", "=", "notification_inbox.id").on("notification_acks.user_id", "=", actor.id))
        .selectAll("notification_inbox")
        .select("notification_acks.at as acked_at")
        .orderBy("notification_inbox.id", "desc")
        .limit(q.limit + 1);
      if (visible !== "all") query = query.where("notification_inbox.space_id", "in", visible);
      if (q.cursor) query = query.where("notification_inbox.id", "<", q.cursor);
      if (q.unacked === "true") query = query.where("notification_acks.at", "is", null);
      const rows = await query.execute();
      return pageOf(rows.map((r) => inboxFromRow(r, r.acked_at !== null)), q.limit);
    },

    async ack(actor: Principal, id: string): Promise<InboxNotification> {
      const row = await db.selectFrom("notification_inbox").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) throw notFound("notification", id);
      await scoped(db).authz.require(actor, row.space_id, "read", "acknowledging a notification");
      const done = await db.selectFrom("notification_acks").select("at").where("notification_id", "=", id).where("user_id", "=", actor.id).executeTakeFirst();
      if (!done) await db.insertInto("notification_acks").values({ notification_id: id, user_id: actor.id, at: now() }).execute();
      return inboxFromRow(row, true);
    },
  };
}
