import { createHmac, timingSafeEqual } from "node:crypto";

/** How long an archive link stays valid: terraform fetches it right after asking for it. */
export const ARCHIVE_URL_TTL_SECONDS = 300;

/**
 * Signed, short-lived archive links. Terraform does not send its registry token to the URL in
 * `X-Terraform-Get`, so the link itself carries the permission: an HMAC over the version id and
 * the expiry, with a key derived from the server's encryption key (shared by every replica).
 */
export function archiveUrls(key: Buffer, clock: () => number = Date.now) {
  const mac = (versionId: string, expires: number) => createHmac("sha256", key).update(`module-archive:${versionId}:${expires}`).digest("base64url");
  return {
    /** The path and query of a version's archive, valid for ARCHIVE_URL_TTL_SECONDS. */
    sign(versionId: string): string {
      const expires = Math.floor(clock() / 1000) + ARCHIVE_URL_TTL_SECONDS;
      return `/registry/archives/${encodeURIComponent(versionId)}.tar.gz?expires=${expires}&signature=${mac(versionId, expires)}`;
    },
    /** Why a link is refused (expired, tampered), or null when it is good. */
    check(versionId: string, expires: string | undefined, signature: string | undefined): string | null {
      const e = Number(expires);
      if (!Number.isInteger(e) || !signature) return "the archive link is incomplete: ask the registry's download endpoint for a new one";
      const want = Buffer.from(mac(versionId, e));
      const got = Buffer.from(signature);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return "the archive link's signature does not match: ask the registry's download endpoint for a new one";
      if (e < Math.floor(clock() / 1000)) return "the archive link has expired: run terraform init again to get a new one";
      return null;
    },
  };
}
