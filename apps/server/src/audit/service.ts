import type { AuditEvent, AuditQuery } from "@gantry/contract";
import type { z } from "zod";
import type { Principal } from "../auth/principal.js";
import { scoped, type Core } from "../core.js";
import { parseJson } from "../db/rows.js";
import type { AuditEventsTable } from "../db/schema.js";
import { pageOf } from "../pagination.js";

const eventFromRow = (r: AuditEventsTable): AuditEvent => ({
  id: r.id, at: r.at, actorType: r.actor_type, actorId: r.actor_id, action: r.action, targetType: r.target_type,
  targetId: r.target_id, spaceId: r.space_id, payload: parseJson(r.payload),
});

/** Reading the audit trail: admins see the events of the spaces they administer, newest first. */
export function auditService(core: Core) {
  const { db } = core;
  return {
    async list(actor: Principal, q: z.output<typeof AuditQuery>) {
      const administered = await scoped(db).authz.spacesWith(actor, "admin");
      if (administered !== "all" && administered.length === 0) return { items: [], nextCursor: null };
      let query = db.selectFrom("audit_events").selectAll().orderBy("id", "desc").limit(q.limit + 1);
      if (administered !== "all") query = query.where("space_id", "in", administered);
      if (q.cursor) query = query.where("id", "<", q.cursor);
      if (q.actorId) query = query.where("actor_id", "=", q.actorId);
      if (q.action) query = query.where("action", "=", q.action);
      if (q.targetType) query = query.where("target_type", "=", q.targetType);
      if (q.targetId) query = query.where("target_id", "=", q.targetId);
      if (q.spaceId) query = query.where("space_id", "=", q.spaceId);
      if (q.since) query = query.where("at", ">=", q.since);
      if (q.until) query = query.where("at", "<", q.until);
      return pageOf((await query.execute()).map(eventFromRow), q.limit);
    },
  };
}
