import { randomUUID } from "node:crypto";
import type { JwkSet, OidcDiscovery } from "@gantry/contract";
import { SignJWT, type CryptoKey } from "jose";
import type { Core } from "../core.js";
import { AppError } from "../errors.js";
import { defaultAudience, runClaims, type RunIdentity } from "./claims.js";
import { currentKey, importPrivateKey, publishedKeys, type SigningAlgorithm } from "./keys.js";

export interface IssuerSettings {
  /** The issuer URL (`iss`); discovery lives at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** Which current key signs; both are published. */
  signingAlgorithm: SigningAlgorithm;
  /** Lifetime of a token, and the default overlap of a key rotation. */
  tokenTtlSeconds: number;
}

/** A minted token and when it expires. */
export interface MintedToken {
  token: string;
  expiresAt: Date;
}

/**
 * Gantry as an OIDC identity provider for runs: publishes discovery and the JWKS, and signs one
 * token per run phase. Private keys are decrypted once per kid and kept in memory, so minting
 * costs a row read and a signature.
 */
export class OidcIssuer {
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly core: Core,
    readonly settings: IssuerSettings,
  ) {}

  get issuer(): string {
    return this.settings.issuer.replace(/\/+$/, "");
  }

  /** The audience a token gets when its integration names none. */
  get defaultAudience(): string {
    return defaultAudience(this.issuer);
  }

  discovery(): OidcDiscovery {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256", "ES256"],
      claims_supported: ["iss", "aud", "sub", "exp", "iat", "nbf", "jti", "spaceId", "callerType", "callerId", "runType", "runId", "scope", "externalId"],
      scopes_supported: ["openid"],
    };
  }

  async jwks(): Promise<JwkSet> {
    const rows = await publishedKeys(this.core.db);
    return { keys: rows.map((r) => JSON.parse(r.public_jwk) as JwkSet["keys"][number]) };
  }

  /**
   * Mints the identity token of one run phase. `exp` is bound to the run: never later than
   * `notAfter` (what remains of the run's time), and at most the configured lifetime.
   */
  async mint(run: RunIdentity, opts: { audience?: string | null; externalId?: string | null; notAfter?: Date } = {}): Promise<MintedToken> {
    const key = await currentKey(this.core.db, this.settings.signingAlgorithm);
    if (!key) throw new AppError("internal", "no current OIDC signing key: restart the server (keys are generated at start-up)");
    let imported = this.imported.get(key.kid);
    if (!imported) {
      imported = importPrivateKey(this.core, key);
      imported.catch(() => this.imported.delete(key.kid));
      this.imported.set(key.kid, imported);
    }
    const iat = Math.floor(Date.now() / 1000);
    let exp = iat + this.settings.tokenTtlSeconds;
    if (opts.notAfter) exp = Math.min(exp, Math.floor(opts.notAfter.getTime() / 1000));
    const token = await new SignJWT(runClaims(run, { externalId: opts.externalId ?? null }))
      .setProtectedHeader({ alg: key.algorithm, kid: key.kid, typ: "JWT" })
      .setIssuer(this.issuer)
      .setAudience(opts.audience ?? this.defaultAudience)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(await imported);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}
