import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a provider download link stays valid: terraform fetches it right after asking for it. */
export const SIGNED_LINK_TTL_SECONDS = 300;

/**
 * Signed, short-lived links for what terraform downloads without a token (provider zips,
 * SHA256SUMS and its signature): an HMAC over the purpose, the object id and the expiry, with a
 * key derived from the server's encryption key (shared by every replica). The same scheme as
 * module archive links, for any object kind.
 */
export function signedLinks(key: Buffer, clock: () => number = Date.now) {
  const mac = (purpose: string, id: string, expires: number) => createHmac("sha256", key).update(`${purpose}:${id}:${expires}`).digest("base64url");
  return {
    /** `path` with `?expires=..&signature=..` valid for SIGNED_LINK_TTL_SECONDS. */
    sign(purpose: string, id: string, path: string): string {
      const expires = Math.floor(clock() / 1000) + SIGNED_LINK_TTL_SECONDS;
      return `${path}?expires=${expires}&signature=${mac(purpose, id, expires)}`;
    },
    /** Why a link is refused (incomplete, tampered, expired), or null when it is good. */
    check(purpose: string, id: string, q: { expires?: string; signature?: string }): string | null {
      const e = Number(q.expires);
      if (!Number.isInteger(e) || !q.signature) return "the download link is incomplete: run terraform init again to get a new one";
      const want = Buffer.from(mac(purpose, id, e));
      const got = Buffer.from(q.signature);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return "the download link's signature does not match: run terraform init again to get a new one";
      if (e < Math.floor(clock() / 1000)) return "the download link has expired: run terraform init again to get a new one";
      return null;
    },
  };
}
