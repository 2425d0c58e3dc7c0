import type { EnvironmentVariable, MountedFile } from "@gantry/contract";
import { recordAudit } from "../audit/recorder.js";
import { stackAccess } from "../access/stack-access.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import { sha256Hex } from "../crypto/secret-box.js";
import type { Db } from "../db/connect.js";
import { fromBool, now, toBool } from "../db/rows.js";
import type { ConfigElementsTable } from "../db/schema.js";
import { notFound } from "../errors.js";

export type OwnerType = "stack" | "context";

/** Stacks change their own configuration with write; contexts are shared, so changing them needs admin. */
const changeRole = { stack: "write", context: "admin" } as const;

function variableFromRow(r: ConfigElementsTable, plain: () => string): EnvironmentVariable {
  const writeOnly = toBool(r.write_only);
  return { name: r.name, value: writeOnly ? null : plain(), writeOnly, checksum: r.checksum, updatedAt: r.updated_at };
}

function fileFromRow(r: ConfigElementsTable, plain: () => string): MountedFile {
  const writeOnly = toBool(r.write_only);
  return { relativePath: r.name, content: writeOnly ? null : plain(), writeOnly, checksum: r.checksum, updatedAt: r.updated_at };
}

/**
 * Environment variables and mounted files of stacks and contexts. Every value is encrypted at
 * rest; write-only values are never decrypted for the API (only for runs, later), which shows
 * their SHA-256 checksum instead.
 */
/** What a variable or file value is bound to when encrypted: its row, and whether it is write-only. */
export function configElementContext(r: Pick<ConfigElementsTable, "owner_type" | "owner_id" | "kind" | "name" | "write_only">): string {
  return `config_element:${r.owner_type}:${r.owner_id}:${r.kind}:${r.name}:${r.write_only ? "write-only" : "readable"}`;
}

export function configElementService(core: Core) {
  const { db, box } = core;
  const access = stackAccess(core);

  /** Stacks answer to their ACCESS policies too; contexts only to space roles. */
  async function requireOwner(d: Db, actor: Principal, owner: OwnerType, id: string, spaceId: string, role: "read" | "write" | "admin", action: string) {
    if (owner === "stack") {
      const stack = await d.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      await access.require(d, actor, stack, role, action);
    } else await scoped(d).authz.require(actor, spaceId, role, action);
  }

  async function ownerSpace(d: Db, owner: OwnerType, id: string): Promise<string> {
    const table = owner === "stack" ? "stacks" : "contexts";
    const row = await d.selectFrom(table).select("space_id").where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound(owner, id);
    return row.space_id;
  }

  async function put(actor: Principal, owner: OwnerType, ownerId: string, kind: "variable" | "file", name: string, plain: Buffer, writeOnly: boolean) {
    return inTransaction(db, async (trx) => {
      const spaceId = await ownerSpace(trx, owner, ownerId);
      await requireOwner(trx, actor, owner, ownerId, spaceId, changeRole[owner], `changing a ${owner}'s configuration`);
      const at = now();
      const row: ConfigElementsTable = {
        owner_type: owner, owner_id: ownerId, kind, name, value_encrypted: box.encrypt(plain, configElementContext({ owner_type: owner, owner_id: ownerId, kind, name, write_only: fromBool(writeOnly) })), write_only: fromBool(writeOnly),
        checksum: sha256Hex(plain), created_at: at, updated_at: at,
      };
      const { created_at: _created, ...changed } = row;
      await trx.insertInto("config_elements").values(row)
        .onConflict((oc) => oc.columns(["owner_type", "owner_id", "kind", "name"]).doUpdateSet(changed))
        .execute();
      await recordAudit(trx, actor, { action: `${owner}.${kind}.put`, targetType: owner, targetId: ownerId, spaceId, payload: { name, writeOnly, checksum: row.checksum } });
      return row;
    });
  }

  async function remove(actor: Principal, owner: OwnerType, ownerId: string, kind: "variable" | "file", name: string) {
    await inTransaction(db, async (trx) => {
      const spaceId = await ownerSpace(trx, owner, ownerId);
      await requireOwner(trx, actor, owner, ownerId, spaceId, changeRole[owner], `changing a ${owner}'s configuration`);
      const res = await trx.deleteFrom("config_elements").where("owner_type", "=", owner).where("owner_id", "=", ownerId).where("kind", "=", kind).where("name", "=", name).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound(kind === "variable" ? "environment variable" : "mounted file", name);
      await recordAudit(trx, actor, { action: `${owner}.${kind}.delete`, targetType: owner, targetId: ownerId, spaceId, payload: { name } });
    });
  }

  return {
    async list(actor: Principal, owner: OwnerType, ownerId: string) {
      const spaceId = await ownerSpace(db, owner, ownerId);
      await requireOwner(db, actor, owner, ownerId, spaceId, "read", `reading a ${owner}`);
      const rows = await db.selectFrom("config_elements").selectAll().where("owner_type", "=", owner).where("owner_id", "=", ownerId).orderBy("kind").orderBy("name").execute();
      const decrypt = (r: ConfigElementsTable) => () => box.decrypt(r.value_encrypted, configElementContext(r));
      return {
        variables: rows.filter((r) => r.kind === "variable").map((r) => variableFromRow(r, () => decrypt(r)().toString("utf8"))),
        files: rows.filter((r) => r.kind === "file").map((r) => fileFromRow(r, () => decrypt(r)().toString("base64"))),
      };
    },

    async putVariable(actor: Principal, owner: OwnerType, ownerId: string, name: string, input: { value: string; writeOnly: boolean }) {
      const row = await put(actor, owner, ownerId, "variable", name, Buffer.from(input.value, "utf8"), input.writeOnly);
      return variableFromRow(row, () => input.value);
    },

    async putFile(actor: Principal, owner: OwnerType, ownerId: string, input: { relativePath: string; content: string; writeOnly: boolean }) {
      const row = await put(actor, owner, ownerId, "file", input.relativePath, Buffer.from(input.content, "base64"), input.writeOnly);
      return fileFromRow(row, () => input.content);
    },

    deleteVariable: (actor: Principal, owner: OwnerType, ownerId: string, name: string) => remove(actor, owner, ownerId, "variable", name),
    deleteFile: (actor: Principal, owner: OwnerType, ownerId: string, path: string) => remove(actor, owner, ownerId, "file", path),
  };
}
