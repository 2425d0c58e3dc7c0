import { X509Certificate, createPrivateKey, createPublicKey, createSecretKey, sign, verify, constants, createHmac, timingSafeEqual } from "node:crypto";
import type { JsonWebKey, KeyObject } from "node:crypto";
import { fail } from "./args.js";

/** How each JWS algorithm signs: HMAC, RSA PKCS#1 v1.5, RSA-PSS, ECDSA or EdDSA, and its hash. */
export interface JwsAlg {
  kind: "hmac" | "rsa" | "pss" | "ecdsa" | "eddsa";
  hash: "sha256" | "sha384" | "sha512" | null;
}

export const JWS_ALGS: Record<string, JwsAlg> = {
  HS256: { kind: "hmac", hash: "sha256" }, HS384: { kind: "hmac", hash: "sha384" }, HS512: { kind: "hmac", hash: "sha512" },
  RS256: { kind: "rsa", hash: "sha256" }, RS384: { kind: "rsa", hash: "sha384" }, RS512: { kind: "rsa", hash: "sha512" },
  PS256: { kind: "pss", hash: "sha256" }, PS384: { kind: "pss", hash: "sha384" }, PS512: { kind: "pss", hash: "sha512" },
  ES256: { kind: "ecdsa", hash: "sha256" }, ES384: { kind: "ecdsa", hash: "sha384" }, ES512: { kind: "ecdsa", hash: "sha512" },
  EdDSA: { kind: "eddsa", hash: null },
};

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

/**
 * Verification keys from what OPA accepts: a PEM certificate, a PEM public key, or a JWK / JWK
 * set as JSON. Errors use OPA's wording.
 */
export function verificationKeys(material: string): KeyObject[] {
  const text = material.trim();
  if (text.startsWith("-----BEGIN")) {
    const blocks = [...text.matchAll(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g)];
    if (blocks.length === 0) throw fail("failed to parse a PEM certificate");
    const rest = text.slice(blocks[0]!.index! + blocks[0]![0].length).trim();
    const kind = blocks[0]![1]!;
    if (kind === "CERTIFICATE") {
      if (rest !== "") throw fail("extra data after a PEM certificate block");
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(blocks[0]![0]);
      } catch {
        throw fail("failed to parse a PEM certificate");
      }
      try {
        return [cert.publicKey];
      } catch {
        throw fail("failed to extract a Key from the PEM certificate");
      }
    }
    try {
      return [createPublicKey(blocks[0]![0])];
    } catch {
      throw fail("failed to extract a Key from the PEM certificate");
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fail("failed to parse a JWK key (set)");
  }
  const jwks = (parsed as { keys?: unknown }).keys;
  const list = Array.isArray(jwks) ? jwks : [parsed];
  try {
    return list.map((k) => createPublicKey({ key: k as JsonWebKey, format: "jwk" }));
  } catch {
    throw fail("failed to parse a JWK key (set)");
  }
}

/** Checks a JWS signature over `signingInput` with one key. */
export function verifySignature(alg: JwsAlg, signingInput: Buffer, sig: Buffer, key: KeyObject | Buffer): boolean {
  try {
    switch (alg.kind) {
      case "hmac": {
        const mac = createHmac(alg.hash!, key as Buffer).update(signingInput).digest();
        return mac.length === sig.length && timingSafeEqual(mac, sig);
      }
      case "rsa":
        return verify(alg.hash, signingInput, key as KeyObject, sig);
      case "pss":
        return verify(alg.hash, signingInput, { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
      case "ecdsa":
        return verify(alg.hash, signingInput, { key: key as KeyObject, dsaEncoding: "ieee-p1363" }, sig);
      default:
        return verify(null, signingInput, key as KeyObject, sig);
    }
  } catch {
    return false;
  }
}

/** Signs `signingInput` with a JWK (oct, RSA, EC or OKP private key). */
export function signWithJWK(alg: JwsAlg, signingInput: Buffer, jwk: JsonWebKey): Buffer {
  if (alg.kind === "hmac") {
    if (jwk.kty !== "oct" || typeof jwk.k !== "string") throw fail("invalid key: an oct JWK with a \"k\" member is required for HMAC");
    return createHmac(alg.hash!, createSecretKey(Buffer.from(jwk.k, "base64url"))).update(signingInput).digest();
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: jwk, format: "jwk" });
  } catch {
    throw fail("failed to parse a JWK private key");
  }
  switch (alg.kind) {
    case "rsa":
      return sign(alg.hash, signingInput, key);
    case "pss":
      return sign(alg.hash, signingInput, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[alg.hash!] });
    case "ecdsa":
      return sign(alg.hash, signingInput, { key, dsaEncoding: "ieee-p1363" });
    default:
      return sign(null, signingInput, key);
  }
}
