import type { OidcKey } from "@gantry/contract";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import type { OidcIssuer } from "./issuer.js";
import { oidcKeyFromRow, publishedKeys, rotateKeys } from "./keys.js";

/** Key management of the identity provider: root admins only, every rotation audited. */
export function oidcService(core: Core, issuer: OidcIssuer) {
  return {
    issuer,
    discovery: () => issuer.discovery(),
    jwks: () => issuer.jwks(),

    async listKeys(actor: Principal): Promise<{ items: OidcKey[] }> {
      await scoped(core.db).authz.require(actor, "root", "admin", "listing OIDC signing keys");
      return { items: (await publishedKeys(core.db)).map(oidcKeyFromRow) };
    },

    /** New keys sign from now on; the old ones stay published for the overlap (default: the token lifetime). */
    async rotate(actor: Principal, input: { overlapSeconds?: number }): Promise<{ items: OidcKey[] }> {
      await scoped(core.db).authz.require(actor, "root", "admin", "rotating OIDC signing keys");
      const overlapSeconds = input.overlapSeconds ?? issuer.settings.tokenTtlSeconds;
      return inTransaction(core.db, async (trx) => {
        const rows = await rotateKeys(core, trx, overlapSeconds);
        const current = rows.filter((r) => r.retired_at === null).map((r) => r.kid);
        await recordAudit(trx, actor, { action: "oidc_keys.rotate", targetType: "oidc_keys", targetId: current.join(","), spaceId: "root", payload: { overlapSeconds } });
        return { items: rows.map(oidcKeyFromRow) };
      });
    },
  };
}
