import type { StateVersion } from "@gantry/contract";
import { ulid } from "ulid";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { stackAccess } from "../access/stack-access.js";
import type { Db } from "../db/connect.js";
import { constraintKind, now, toBool } from "../db/rows.js";
import type { StacksTable, StateVersionsTable } from "../db/schema.js";
import { AppError, conflict, invalidField, notFound } from "../errors.js";
import type { RunEngine } from "../runs/engine.js";
import { activeStates } from "../runs/repository.js";

/** Terraform's lock info, as sent with LOCK and UNLOCK. */
export interface LockInfo {
  ID: string;
  [key: string]: unknown;
}

/** An expected refusal of the state backend: answered with 423 and the holder's lock info. */
export type LockResult = { ok: true } | { ok: false; holder: LockInfo };

const versionFromRow = (r: StateVersionsTable, size: number): StateVersion => ({
  id: r.id, stackId: r.stack_id, serial: Number(r.serial), lineage: r.lineage, runId: r.run_id, size, createdAt: r.created_at,
});

/**
 * Managed state of stacks: the terraform HTTP backend's operations and the versions people
 * list, download and roll back. Every write is a new version, encrypted at rest.
 */
export function stateService(engine: RunEngine) {
  const { db } = engine.core;
  const blobs = engine.blobs;
  const access = stackAccess(engine.core);

  async function loadStack(d: Db, id: string): Promise<StacksTable> {
    const row = await d.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("stack", id);
    return row;
  }

  async function latest(d: Db, stackId: string) {
    return d.selectFrom("state_versions").selectAll().where("stack_id", "=", stackId).orderBy("id", "desc").limit(1).executeTakeFirst();
  }

  async function insertVersion(d: Db, stackId: string, body: Buffer, runId: string | null): Promise<StateVersionsTable> {
    let doc: { serial?: number; lineage?: string };
    try {
      doc = JSON.parse(body.toString("utf8")) as typeof doc;
    } catch {
      throw new AppError("bad_request", "the state is not valid JSON: send the full terraform state document");
    }
    if (typeof doc.serial !== "number" || typeof doc.lineage !== "string") throw new AppError("bad_request", "the state has no serial or lineage: send the full terraform state document");
    const id = ulid();
    const blobId = await blobs.put(d, "state", stackId, "state", body, { keep: true });
    const row: StateVersionsTable = { id, stack_id: stackId, serial: doc.serial, lineage: doc.lineage, run_id: runId, blob_id: blobId, created_at: now() };
    await d.insertInto("state_versions").values(row).execute();
    return row;
  }

  return {
    loadStack,
    /** A person's role on the stack (space role and ACCESS policies), for the state backend. */
    requireStack: access.require,

    /** The current state document, or undefined when the stack has none yet. */
    async read(stackId: string): Promise<Buffer | undefined> {
      const v = await latest(db, stackId);
      return v ? blobs.byId(db, v.blob_id) : undefined;
    },

    /** Stores a new version; refused while someone else holds the lock. */
    async write(stackId: string, body: Buffer, lockId: string | undefined, runId: string | null): Promise<LockResult> {
      return engine.tx(async (trx) => {
        const lock = await trx.selectFrom("state_locks").selectAll().where("stack_id", "=", stackId).executeTakeFirst();
        if (lock && lock.lock_id !== lockId) return { ok: false, holder: JSON.parse(lock.info) as LockInfo };
        await insertVersion(trx, stackId, body, runId);
        return { ok: true };
      });
    },

    async lock(stackId: string, info: LockInfo, runId: string | null): Promise<LockResult> {
      const held = await db.selectFrom("state_locks").selectAll().where("stack_id", "=", stackId).executeTakeFirst();
      if (held) return held.lock_id === info.ID ? { ok: true } : { ok: false, holder: JSON.parse(held.info) as LockInfo };
      try {
        await db.insertInto("state_locks").values({ stack_id: stackId, lock_id: info.ID, info: JSON.stringify(info), run_id: runId, created_at: now() }).execute();
        return { ok: true };
      } catch (err) {
        if (constraintKind(err) !== "unique") throw err;
        const winner = await db.selectFrom("state_locks").selectAll().where("stack_id", "=", stackId).executeTakeFirstOrThrow();
        return { ok: false, holder: JSON.parse(winner.info) as LockInfo };
      }
    },

    /** Releases the lock with its id; `force` (terraform force-unlock sends no id) releases any. */
    async unlock(stackId: string, lockId: string | undefined, force: boolean): Promise<LockResult> {
      const held = await db.selectFrom("state_locks").selectAll().where("stack_id", "=", stackId).executeTakeFirst();
      if (!held) return { ok: true };
      if (!force && held.lock_id !== lockId) return { ok: false, holder: JSON.parse(held.info) as LockInfo };
      await db.deleteFrom("state_locks").where("stack_id", "=", stackId).where("lock_id", "=", held.lock_id).execute();
      return { ok: true };
    },

    async heldByRun(stackId: string): Promise<string | null | undefined> {
      const held = await db.selectFrom("state_locks").select("run_id").where("stack_id", "=", stackId).executeTakeFirst();
      return held ? held.run_id : undefined;
    },

    async listVersions(actor: Principal, stackId: string) {
      const stack = await loadStack(db, stackId);
      await access.require(db, actor, stack, "admin", "reading a stack's state");
      const rows = await db.selectFrom("state_versions").innerJoin("blobs", "blobs.id", "state_versions.blob_id").selectAll("state_versions").select("blobs.size").where("state_versions.stack_id", "=", stackId).orderBy("state_versions.id", "desc").execute();
      return { items: rows.map((r) => versionFromRow(r, Number(r.size))) };
    },

    async getVersion(actor: Principal, stackId: string, versionId: string) {
      const stack = await loadStack(db, stackId);
      await access.require(db, actor, stack, "admin", "reading a stack's state");
      const v = await db.selectFrom("state_versions").selectAll().where("id", "=", versionId).where("stack_id", "=", stackId).executeTakeFirst();
      if (!v) throw notFound("state version", versionId);
      const data = (await blobs.byId(db, v.blob_id))!;
      await recordAudit(db, actor, { action: "stack.state.download", targetType: "stack", targetId: stackId, spaceId: stack.space_id, payload: { versionId } });
      return { version: versionFromRow(v, data.length), state: JSON.parse(data.toString("utf8")) as unknown };
    },

    /**
     * Makes an existing state (another backend's, Spacelift's download) the stack's current
     * version, lineage and serial kept, so terraform sees the same state and plans no changes.
     * Write on the stack; replacing a state of another lineage, or going back to an older
     * serial, only with `force` by an admin, since it discards what runs wrote. Refused while a
     * run is pending or terraform holds the state lock.
     */
    async importState(actor: Principal, stackId: string, doc: { version: number; serial: number; lineage: string }, force: boolean) {
      return engine.tx(async (trx) => {
        const stack = await loadStack(trx, stackId);
        await access.require(trx, actor, stack, "write", "importing a stack's state");
        if (force) await access.require(trx, actor, stack, "admin", "forcing a state import (--force)");
        if (!toBool(stack.manage_state)) throw conflict(`stack ${JSON.stringify(stackId)} does not manage its state (manageState is false): its state lives in the backend its code declares; set manageState to import one here`);
        if (doc.version !== 4) throw invalidField(["state", "version"], `terraform state format version ${doc.version} is not supported: Gantry stores format 4 (terraform 0.12 and later); let terraform upgrade the file (terraform state pull after an init)`);
        const pending = await trx.selectFrom("runs").select("id").where("stack_id", "=", stackId).where("state", "in", [...activeStates, "QUEUED"]).limit(1).executeTakeFirst();
        if (pending) throw conflict(`run ${pending.id} of stack ${JSON.stringify(stackId)} is pending: wait for it or cancel it before importing state`);
        if (await trx.selectFrom("state_locks").select("lock_id").where("stack_id", "=", stackId).executeTakeFirst()) throw conflict("the state is locked by terraform: unlock it first");
        const current = await latest(trx, stackId);
        const next = { ...doc };
        if (current && current.lineage !== doc.lineage && !force) {
          throw conflict(`stack ${JSON.stringify(stackId)} already has state of lineage ${current.lineage} (serial ${current.serial}); the file is lineage ${doc.lineage}, another state: export the current one (gantry stack state export ${stackId}) and import with --force (admin) if replacing it is intended`);
        }
        if (current && current.lineage === doc.lineage && doc.serial <= Number(current.serial)) {
          if (!force) throw conflict(`the file's serial ${doc.serial} is not newer than the stack's current serial ${current.serial} of the same lineage: it is an older copy of this state; import with --force (admin) to make it current again`);
          // Terraform refuses a state whose serial goes backwards within a lineage: step past the current one, as a rollback does.
          next.serial = Number(current.serial) + 1;
        }
        const body = Buffer.from(JSON.stringify(next, null, 2));
        const row = await insertVersion(trx, stackId, body, null);
        await recordAudit(trx, actor, {
          action: "stack.state.import", targetType: "stack", targetId: stackId, spaceId: stack.space_id,
          payload: { versionId: row.id, serial: next.serial, lineage: next.lineage, forced: force, replacedLineage: current && current.lineage !== next.lineage ? current.lineage : null },
        });
        return versionFromRow(row, body.length);
      });
    },

    /**
     * Makes an old version current by writing it again with the next serial. Only while the
     * caller holds the stack's lock and no run is active or queued, so nothing races it.
     */
    async rollback(actor: Principal, stackId: string, versionId: string) {
      return engine.tx(async (trx) => {
        const stack = await loadStack(trx, stackId);
        await access.require(trx, actor, stack, "admin", "rolling back a stack's state");
        if (stack.locked_by !== actor.id) throw conflict(`lock stack ${JSON.stringify(stackId)} yourself before rolling back its state, so no run starts meanwhile`);
        const pending = await trx.selectFrom("runs").select("id").where("stack_id", "=", stackId).where("state", "in", [...activeStates, "QUEUED"]).limit(1).executeTakeFirst();
        if (pending) throw conflict(`run ${pending.id} of stack ${JSON.stringify(stackId)} is pending: wait for it or cancel it before rolling back`);
        if (await trx.selectFrom("state_locks").select("lock_id").where("stack_id", "=", stackId).executeTakeFirst()) throw conflict("the state is locked by terraform: unlock it first");
        const v = await trx.selectFrom("state_versions").selectAll().where("id", "=", versionId).where("stack_id", "=", stackId).executeTakeFirst();
        if (!v) throw notFound("state version", versionId);
        const current = (await latest(trx, stackId))!;
        const doc = JSON.parse((await blobs.byId(trx, v.blob_id))!.toString("utf8")) as { serial: number };
        doc.serial = Number(current.serial) + 1;
        const body = Buffer.from(JSON.stringify(doc, null, 2));
        const row = await insertVersion(trx, stackId, body, null);
        await recordAudit(trx, actor, { action: "stack.state.rollback", targetType: "stack", targetId: stackId, spaceId: stack.space_id, payload: { versionId, newVersionId: row.id } });
        return versionFromRow(row, body.length);
      });
    },
  };
}

export type StateService = ReturnType<typeof stateService>;
