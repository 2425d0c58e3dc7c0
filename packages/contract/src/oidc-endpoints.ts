import { endpoint } from "./endpoint.js";
import { JwkSet, OidcDiscovery, OidcKeys, RotateOidcKeys } from "./schemas/oidc.js";

const rootAdmin = { kind: "space", role: "admin", root: true } as const;

/**
 * Gantry as an OIDC identity provider for runs: the public discovery documents clouds fetch to
 * verify run tokens (at the issuer URL's root, as OpenID Connect Discovery requires), and key
 * management for root admins.
 */
export const oidcEndpoints = {
  oidcDiscovery: endpoint({
    method: "GET", path: "/.well-known/openid-configuration", tag: "oidc", summary: "OpenID Provider metadata of the run identity tokens",
    access: { kind: "public" }, response: OidcDiscovery, cacheControl: "public, max-age=300",
  }),
  oidcJwks: endpoint({
    method: "GET", path: "/.well-known/jwks", tag: "oidc", summary: "public keys that verify run identity tokens (current and recently rotated ones)",
    access: { kind: "public" }, response: JwkSet, cacheControl: "public, max-age=300",
  }),
  listOidcKeys: endpoint({ method: "GET", path: "/api/v1/oidc/keys", tag: "oidc", summary: "the signing keys, current and still published (never their private part)", access: rootAdmin, response: OidcKeys }),
  rotateOidcKeys: endpoint({
    method: "POST", path: "/api/v1/oidc/keys/rotate", tag: "oidc", summary: "generate new signing keys; the old ones stay published for the overlap window",
    access: rootAdmin, body: RotateOidcKeys, response: OidcKeys,
  }),
};
