import type { CreatedRegistryToken, CreateRegistryToken, RegistryToken } from "@gantry/contract";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import { forbidden, notFound } from "../errors.js";
import { mintPersonRegistryToken } from "./registry-tokens.js";

/** People's registry tokens (terraform login): their owner sees and revokes them; a root admin all of them. */
export function registryTokenService(core: Core) {
  const { db } = core;
  return {
    async list(actor: Principal): Promise<{ items: RegistryToken[] }> {
      let q = db.selectFrom("registry_tokens").selectAll().where("user_id", "is not", null).orderBy("id");
      if (!scoped(db).authz.isRootAdmin(actor)) q = q.where("user_id", "=", actor.id);
      return { items: (await q.execute()).map((r) => ({ id: r.id, userId: r.user_id!, description: r.description, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at })) };
    },

    /** What terraform login mints, for a person who writes their CLI config by hand (CI, a second machine). */
    async create(actor: Principal, body: CreateRegistryToken): Promise<CreatedRegistryToken> {
      // A run has its own registry token per phase; a person's token must belong to a person.
      if (actor.kind !== "user") throw forbidden("only people make registry tokens: runs get one with each phase");
      const description = body.description.trim();
      return inTransaction(db, async (trx) => {
        const minted = await mintPersonRegistryToken(trx, actor.id, description);
        const row = await trx.selectFrom("registry_tokens").selectAll().where("id", "=", minted.id).executeTakeFirstOrThrow();
        await recordAudit(trx, actor, { action: "registry_token.create", targetType: "registry_token", targetId: minted.id, spaceId: "root", payload: { description } });
        return { token: { id: row.id, userId: actor.id, description, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: null }, secret: minted.token };
      });
    },

    async revoke(actor: Principal, id: string): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await trx.selectFrom("registry_tokens").select(["id", "user_id"]).where("id", "=", id).where("user_id", "is not", null).executeTakeFirst();
        if (!row) throw notFound("registry token", id);
        if (row.user_id !== actor.id && !scoped(trx).authz.isRootAdmin(actor)) throw forbidden("revoking another person's registry token needs the admin role in the root space");
        await trx.deleteFrom("registry_tokens").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "registry_token.revoke", targetType: "registry_token", targetId: id, spaceId: "root", payload: { userId: row.user_id } });
      });
    },
  };
}
