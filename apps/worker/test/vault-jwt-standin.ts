/**
 * A stand-in for Vault's JWT auth method (`POST /v1/auth/jwt/login`), checking a token exactly
 * as Vault does for a role configured with `oidc_discovery_url`: the issuer's discovery document
 * and JWKS are fetched over HTTP, the signature and time claims are verified, the issuer must be
 * `bound_issuer`, `aud` must contain one of `bound_audiences`, and every `bound_claims` entry must
 * match (glob patterns with `bound_claims_type = "glob"`). Error texts are Vault's.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, jwtVerify, errors } from "jose";

export interface VaultRole {
  bound_audiences: string[];
  bound_claims: Record<string, string>;
  user_claim: string;
}

export interface VaultStandIn {
  url: string;
  logins: { role: string; claims: Record<string, unknown> }[];
  close(): Promise<void>;
}

const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);

export async function startVaultStandIn(discoveryUrl: string, roles: Record<string, VaultRole>): Promise<VaultStandIn> {
  const logins: VaultStandIn["logins"] = [];
  const discovery = (await (await fetch(`${discoveryUrl.replace(/\/+$/, "")}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      void (async () => {
        const reply = (status: number, doc: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(doc));
        };
        if (req.method !== "POST" || req.url !== "/v1/auth/jwt/login") return reply(404, { errors: ["unsupported path"] });
        const { role: roleName, jwt } = JSON.parse(body || "{}") as { role?: string; jwt?: string };
        const role = roles[roleName ?? ""];
        if (!role) return reply(400, { errors: [`role "${roleName}" could not be found`] });
        if (!jwt) return reply(400, { errors: ["missing token"] });
        let claims: Record<string, unknown>;
        try {
          claims = (await jwtVerify(jwt, jwks, { issuer: discovery.issuer, algorithms: ["RS256", "ES256"] })).payload;
        } catch (err) {
          if (err instanceof errors.JWTExpired) return reply(400, { errors: ["error validating token: token is expired"] });
          if (err instanceof errors.JWTClaimValidationFailed && err.claim === "iss") return reply(400, { errors: ["error validating token: invalid issuer (iss) claim"] });
          return reply(400, { errors: ["error validating token: failed to verify id token signature"] });
        }
        const aud = Array.isArray(claims["aud"]) ? (claims["aud"] as string[]) : [String(claims["aud"])];
        if (!aud.some((a) => role.bound_audiences.includes(a))) return reply(400, { errors: ["error validating token: invalid audience (aud) claim: audience claim does not match any expected audience"] });
        for (const [name, pattern] of Object.entries(role.bound_claims)) {
          if (typeof claims[name] !== "string" || !glob(pattern, claims[name] as string)) return reply(400, { errors: [`error validating claims: claim "${name}" does not match any associated bound claim values`] });
        }
        logins.push({ role: roleName!, claims });
        return reply(200, { auth: { client_token: `hvs.standin${logins.length}`, policies: ["default"], metadata: { role: roleName }, entity_alias: claims[role.user_claim] } });
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logins,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
