import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { stackAccess } from "../access/stack-access.js";
import { inTransaction, type Core } from "../core.js";
import { conflict, notFound } from "../errors.js";
import { setStackLock } from "../stacks/repository.js";
import { stackFromRow } from "../stacks/rows.js";

/**
 * A person's lock on a stack: while it holds, only the lock owner triggers runs. The owner
 * unlocks; an admin of the stack's space may break someone else's lock.
 */
export function stackLockService(core: Core) {
  const { db } = core;
  const access = stackAccess(core);

  async function load(trx: typeof db, id: string) {
    const row = await trx.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("stack", id);
    return row;
  }

  return {
    async lock(actor: Principal, id: string, note?: string) {
      return inTransaction(db, async (trx) => {
        const row = await load(trx, id);
        await access.require(trx, actor, row, "write", "locking a stack");
        if (row.locked_by && row.locked_by !== actor.id) throw conflict(`stack ${JSON.stringify(id)} is already locked by ${row.locked_by}: ask them to unlock it`);
        // A blank note is no reason: stored as none, so the page does not show an empty one.
        const reason = note?.trim() ? note.trim() : null;
        const next = { ...row, locked_by: actor.id, lock_note: reason, updated_at: await setStackLock(trx, id, actor.id, reason) };
        await recordAudit(trx, actor, { action: "stack.lock", targetType: "stack", targetId: id, spaceId: row.space_id, payload: { note: reason } });
        return stackFromRow(next);
      });
    },

    async unlock(actor: Principal, id: string) {
      return inTransaction(db, async (trx) => {
        const row = await load(trx, id);
        await access.require(trx, actor, row, "write", "unlocking a stack");
        if (row.locked_by && row.locked_by !== actor.id) await access.require(trx, actor, row, "admin", `unlocking a stack locked by ${row.locked_by}`);
        const next = { ...row, locked_by: null, lock_note: null, updated_at: await setStackLock(trx, id, null) };
        await recordAudit(trx, actor, { action: "stack.unlock", targetType: "stack", targetId: id, spaceId: row.space_id, payload: { wasLockedBy: row.locked_by } });
        return stackFromRow(next);
      });
    },
  };
}
