import { z } from "zod";
import { Timestamp } from "./common.js";

/** The OpenID Provider metadata clouds read from `<issuer>/.well-known/openid-configuration`. */
export const OidcDiscovery = z.object({
  issuer: z.string(),
  jwks_uri: z.string(),
  response_types_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  claims_supported: z.array(z.string()),
  scopes_supported: z.array(z.string()),
});
export type OidcDiscovery = z.infer<typeof OidcDiscovery>;

/** A published public key (RFC 7517). */
export const Jwk = z.object({ kid: z.string(), kty: z.string(), alg: z.string(), use: z.literal("sig") }).catchall(z.unknown());
export const JwkSet = z.object({ keys: z.array(Jwk) });
export type JwkSet = z.infer<typeof JwkSet>;

/** A signing key as operators see it (never its private part). */
export const OidcKey = z.object({
  kid: z.string(),
  algorithm: z.enum(["RS256", "ES256"]),
  createdAt: Timestamp,
  retiredAt: Timestamp.nullable().describe("when it stopped signing; null for a current key"),
  publishedUntil: Timestamp.nullable().describe("a retired key stays in the JWKS until then, so tokens it signed keep verifying"),
});
export type OidcKey = z.infer<typeof OidcKey>;

export const RotateOidcKeys = z.strictObject({
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(43_200)
    .optional()
    .describe("how long the old keys stay published (default: the token lifetime, so no issued token breaks); 0 revokes every token they signed at once"),
});
export const OidcKeys = z.object({ items: z.array(OidcKey) });
