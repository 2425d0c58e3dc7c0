import { randomUUID } from "node:crypto";
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from "jose";
import type { OidcKey } from "@gantry/contract";
import type { Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";
import type { OidcKeysTable } from "../db/schema.js";

/** The algorithms Gantry signs with; one current key of each is published. */
export const SIGNING_ALGORITHMS = ["RS256", "ES256"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The private key is bound to its kid, so a ciphertext copied onto another key row does not decrypt. */
const keyContext = (kid: string) => `oidc_key:${kid}`;

export function oidcKeyFromRow(r: OidcKeysTable): OidcKey {
  return { kid: r.kid, algorithm: r.algorithm as SigningAlgorithm, createdAt: r.created_at, retiredAt: r.retired_at, publishedUntil: r.published_until };
}

/** Generates a key pair and stores it: the public JWK in clear, the private key (PKCS#8) encrypted. */
async function createKey(core: Core, db: Db, algorithm: SigningAlgorithm): Promise<OidcKeysTable> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const kid = `${algorithm.toLowerCase()}-${randomUUID()}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: "sig" };
  const row: OidcKeysTable = {
    kid, algorithm, public_jwk: JSON.stringify(jwk), private_key_encrypted: core.box.encrypt(await exportPKCS8(privateKey), keyContext(kid)),
    created_at: now(), retired_at: null, published_until: null,
  };
  await db.insertInto("oidc_keys").values(row).execute();
  return row;
}

/**
 * Makes sure a current key of every algorithm exists: at first start, keys are generated. Two
 * replicas starting at once may both generate one; both are published and the newest signs.
 */
export async function ensureSigningKeys(core: Core): Promise<void> {
  const current = await core.db.selectFrom("oidc_keys").select("algorithm").where("retired_at", "is", null).execute();
  for (const algorithm of SIGNING_ALGORITHMS) {
    if (!current.some((k) => k.algorithm === algorithm)) await createKey(core, core.db, algorithm);
  }
}

/** The key that signs with `algorithm` now: the newest current one. */
export async function currentKey(db: Db, algorithm: SigningAlgorithm): Promise<OidcKeysTable | undefined> {
  return db.selectFrom("oidc_keys").selectAll().where("algorithm", "=", algorithm).where("retired_at", "is", null).orderBy("created_at", "desc").orderBy("kid", "desc").limit(1).executeTakeFirst();
}

/** Keys to publish: current ones, and retired ones whose overlap window has not ended. */
export async function publishedKeys(db: Db, at = now()): Promise<OidcKeysTable[]> {
  return db
    .selectFrom("oidc_keys")
    .selectAll()
    .where((eb) => eb.or([eb("retired_at", "is", null), eb("published_until", ">", at)]))
    .orderBy("created_at")
    .orderBy("kid")
    .execute();
}

/**
 * Retires every current key and generates new ones, in one transaction. Every old key stays
 * published for at most `overlapSeconds` from now (tokens they signed keep verifying until they
 * expire; a short overlap shortens earlier windows too, so `0` revokes every old token at once);
 * keys whose window is over are deleted.
 */
export async function rotateKeys(core: Core, trx: Db, overlapSeconds: number): Promise<OidcKeysTable[]> {
  const at = now();
  const until = new Date(Date.parse(at) + overlapSeconds * 1000).toISOString();
  await trx.updateTable("oidc_keys").set({ retired_at: at, published_until: until }).where("retired_at", "is", null).execute();
  await trx.updateTable("oidc_keys").set({ published_until: until }).where("published_until", ">", until).execute();
  await trx.deleteFrom("oidc_keys").where("published_until", "<=", at).execute();
  for (const algorithm of SIGNING_ALGORITHMS) await createKey(core, trx, algorithm);
  return publishedKeys(trx, at);
}

/** Decrypts and imports a private key; the caller caches it by kid (keys never change). */
export async function importPrivateKey(core: Core, row: OidcKeysTable): Promise<CryptoKey> {
  const pem = core.box.decrypt(row.private_key_encrypted, keyContext(row.kid)).toString("utf8");
  return importPKCS8(pem, row.algorithm);
}
