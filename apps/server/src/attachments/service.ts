import type { AttachableKind, Attachment } from "@gantry/contract";
import { recordAudit } from "../audit/recorder.js";
import { stackAccess } from "../access/stack-access.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, lockTree, scoped, type Core } from "../core.js";
import { fromBool, now, toBool } from "../db/rows.js";
import type { AttachmentsTable } from "../db/schema.js";
import { conflict, notFound } from "../errors.js";
import { attachableTables } from "./kinds.js";
import { reachCache } from "./reach.js";

/**
 * What Gantry evaluates for a module: its test runs' gates (PLAN, APPROVAL, INITIALIZATION),
 * TRIGGER when a version becomes ACTIVE, NOTIFICATION for its test runs' state changes and its
 * module_version events.
 */
export const MODULE_POLICY_TYPES = ["PLAN", "APPROVAL", "INITIALIZATION", "TRIGGER", "NOTIFICATION"];

function attachmentFromRow(r: AttachmentsTable): Attachment {
  return { stackId: r.stack_id, kind: r.kind as AttachableKind, entityId: r.entity_id, priority: r.priority, read: toBool(r.read), write: toBool(r.write), createdAt: r.created_at };
}

/** Direct attachments of contexts, policies and integrations to stacks. */
export function attachmentService(core: Core) {
  const { db } = core;
  const access = stackAccess(core);

  async function loadStack(d: typeof db, id: string) {
    const stack = await d.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
    if (!stack) throw notFound("stack", id);
    return stack;
  }

  return {
    async list(actor: Principal, stackId: string) {
      const stack = await loadStack(db, stackId);
      await access.require(db, actor, stack, "read", "reading a stack");
      const rows = await db.selectFrom("attachments").selectAll().where("stack_id", "=", stackId).orderBy("kind").orderBy("priority").orderBy("entity_id").execute();
      return { items: rows.map(attachmentFromRow) };
    },

    async attach(actor: Principal, kind: AttachableKind, stackId: string, entityId: string, opts: { priority?: number; read?: boolean; write?: boolean }) {
      return inTransaction(db, async (trx) => {
        await lockTree(trx, core.dialect);
        const stack = await loadStack(trx, stackId);
        const { noun, table } = attachableTables[kind];
        const entity = await trx.selectFrom(table).select(["id", "space_id"]).where("id", "=", entityId).executeTakeFirst();
        if (!entity) throw notFound(noun, entityId);
        if (kind === "policy") {
          const { type } = await trx.selectFrom("policies").select("type").where("id", "=", entityId).executeTakeFirstOrThrow();
          if (type === "LOGIN") throw conflict(`login policies apply to the whole instance; they are not attached to ${stack.module_id ? "modules" : "stacks"}`);
          if (stack.module_id && !MODULE_POLICY_TYPES.includes(type)) {
            throw conflict(`${type} policies are not evaluated for modules: a module takes ${MODULE_POLICY_TYPES.join(", ")} policies (its test runs, TRIGGER when a version becomes ACTIVE, NOTIFICATION for its events)`);
          }
        }
        const { authz } = scoped(trx);
        await access.require(trx, actor, stack, "write", "attaching to a stack");
        const reach = await reachCache(trx)(stack.space_id);
        // Within reach, the entity is in the stack's own space (where the caller may write) or in
        // a space the stack's space inherits from: inheritance makes those entities usable from
        // the child, as in Spacelift, without a role on the parent. Using one grants no way to
        // read it: its write-only values stay out of every answer, and reading the entity itself
        // still needs a role on its space.
        if (!reach.some((s) => s.id === entity.space_id)) {
          // Out of reach: whoever cannot read the entity learns nothing about where it lives.
          await authz.require(actor, entity.space_id, "read", `attaching a ${noun}`);
          throw conflict(
            `${noun} ${entityId} is in space ${entity.space_id}, which stack ${stackId} (space ${stack.space_id}) cannot reach: ` +
              "an entity applies to stacks in its own space and in spaces below it that inherit entities",
          );
        }
        const row: AttachmentsTable = {
          stack_id: stackId, kind, entity_id: entityId, priority: opts.priority ?? 0,
          read: fromBool(opts.read ?? true), write: fromBool(opts.write ?? true), created_at: now(),
        };
        await trx.insertInto("attachments").values(row)
          .onConflict((oc) => oc.columns(["stack_id", "kind", "entity_id"]).doUpdateSet({ priority: row.priority, read: row.read, write: row.write }))
          .execute();
        await recordAudit(trx, actor, { action: `stack.${kind}.attach`, targetType: "stack", targetId: stackId, spaceId: stack.space_id, payload: { entityId, ...opts } });
        // Read back: re-attaching keeps the original attachment time.
        const saved = await trx.selectFrom("attachments").selectAll().where("stack_id", "=", stackId).where("kind", "=", kind).where("entity_id", "=", entityId).executeTakeFirstOrThrow();
        return attachmentFromRow(saved);
      });
    },

    async detach(actor: Principal, kind: AttachableKind, stackId: string, entityId: string) {
      await inTransaction(db, async (trx) => {
        const stack = await loadStack(trx, stackId);
        await access.require(trx, actor, stack, "write", "detaching from a stack");
        const res = await trx.deleteFrom("attachments").where("stack_id", "=", stackId).where("kind", "=", kind).where("entity_id", "=", entityId).executeTakeFirst();
        if (Number(res.numDeletedRows) === 0) throw notFound(`${attachableTables[kind].noun} attachment`, `${entityId} on ${stackId}`);
        await recordAudit(trx, actor, { action: `stack.${kind}.detach`, targetType: "stack", targetId: stackId, spaceId: stack.space_id, payload: { entityId } });
      });
    },
  };
}
