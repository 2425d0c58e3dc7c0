/**
 * Gantry as an OIDC identity provider: discovery and JWKS over HTTP, keys generated at first
 * start and stored encrypted, rotation with an overlap window, AWS integration settings.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, failure, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { protocolWorker } from "./worker-protocol.js";

describe.each(dialects)("OIDC identity provider (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("publishes discovery and a JWKS with an RS256 and an ES256 key, cacheable", async () => {
    const res = await fetch(`${t.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const doc = (await res.json()) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
    expect(doc.issuer).toBe(t.url);
    expect(doc.jwks_uri).toBe(`${t.url}/.well-known/jwks`);
    expect(doc.id_token_signing_alg_values_supported).toEqual(["RS256", "ES256"]);
    const jwks = await fetch(doc.jwks_uri);
    expect(jwks.headers.get("cache-control")).toBe("public, max-age=300");
    const { keys } = (await jwks.json()) as { keys: { kid: string; alg: string; use: string; d?: string }[] };
    expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const k of keys) {
      expect(k.kid).toMatch(/^(rs256|es256)-/);
      expect(k.use).toBe("sig");
      expect(k.d).toBeUndefined();
    }
  });

  it("stores private keys encrypted and keeps them across restarts", async () => {
    const rows = await dumpTable(t, "oidc_keys");
    expect(rows).not.toMatch(/PRIVATE KEY/);
    expect(rows).toMatch(/"private_key_encrypted":"v2\./);
    const before = await t.admin.call("listOidcKeys", {});
    expect(before.items).toHaveLength(2);
    expect(before.items.every((k) => k.retiredAt === null)).toBe(true);
  });

  it("rotates: new keys sign, old ones stay published for the overlap, audited; overlap 0 revokes", async () => {
    const old = (await t.admin.call("listOidcKeys", {})).items.map((k) => k.kid);
    const rotated = await t.admin.call("rotateOidcKeys", { body: {} });
    const current = rotated.items.filter((k) => k.retiredAt === null);
    const retired = rotated.items.filter((k) => k.retiredAt !== null);
    expect(current).toHaveLength(2);
    expect(retired.map((k) => k.kid).sort()).toEqual([...old].sort());
    // The default overlap is the token lifetime (1 h).
    for (const k of retired) expect(Date.parse(k.publishedUntil!) - Date.parse(k.retiredAt!)).toBe(3600_000);
    const published = (await (await fetch(`${t.url}/.well-known/jwks`)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((k) => k.kid).sort()).toEqual(rotated.items.map((k) => k.kid).sort());

    const revoked = await t.admin.call("rotateOidcKeys", { body: { overlapSeconds: 0 } });
    expect(revoked.items).toHaveLength(2);
    expect(revoked.items.every((k) => k.retiredAt === null)).toBe(true);
    const audit = await t.admin.call("listAuditEvents", { query: { limit: 10 } });
    const rotations = audit.items.filter((e) => e.action === "oidc_keys.rotate");
    expect(rotations).toHaveLength(2);
    expect(JSON.stringify(rotations)).not.toMatch(/PRIVATE|"d":/);
  });

  it("refuses key management to anyone but a root admin, and a bad overlap with its field", async () => {
    const { key } = await userWithRole(t, `oidc-${dialect}`, [{ spaceId: "root", role: "write" }]);
    expect((await failure(t.client(key).call("rotateOidcKeys", { body: {} }))).code).toBe("forbidden");
    const bad = await failure(t.admin.call("rotateOidcKeys", { body: { overlapSeconds: -1 } }));
    expect(bad.code).toBe("invalid");
    expect(JSON.stringify(bad.details)).toContain("overlapSeconds");
  });

  it("stores the AWS integration settings that take effect in runs, and refuses bad ones with their field", async () => {
    const created = await t.admin.call("createAwsIntegration", {
      body: { name: `deployer-${dialect}`, roleArn: "arn:aws:iam::123456789012:role/deployer", generateCredentialsInWorker: true, externalId: "gantry-ext-1", region: "eu-west-1", audience: "sts.amazonaws.com" },
    });
    expect(created).toMatchObject({ generateCredentialsInWorker: true, externalId: "gantry-ext-1", region: "eu-west-1", audience: "sts.amazonaws.com", durationSeconds: 3600 });
    const cleared = await t.admin.call("updateAwsIntegration", { params: { id: created.id }, body: { externalId: null, generateCredentialsInWorker: false } });
    expect(cleared).toMatchObject({ generateCredentialsInWorker: false, externalId: null, region: "eu-west-1" });
    for (const [body, field] of [
      [{ region: "Mars-1" }, "region"],
      [{ durationSeconds: 60 }, "durationSeconds"],
      [{ audience: "has space" }, "audience"],
      [{ externalId: "x" }, "externalId"],
    ] as const) {
      const err = await failure(t.admin.call("updateAwsIntegration", { params: { id: created.id }, body }));
      expect(err.code).toBe("invalid");
      expect(JSON.stringify(err.details)).toContain(field);
    }
  });

  it("verifies against the published JWKS with jose (a token needs a run: see the worker e2e tests)", async () => {
    // A token signed by a foreign key is refused by the JWKS: the published set is the whole trust.
    const { SignJWT, generateKeyPair } = await import("jose");
    const foreign = await generateKeyPair("RS256");
    const current = (await t.admin.call("listOidcKeys", {})).items.find((k) => k.algorithm === "RS256")!;
    const forged = await new SignJWT({ sub: "space:root:stack:x" }).setProtectedHeader({ alg: "RS256", kid: current.kid }).setIssuer(t.url).setAudience("127.0.0.1").setExpirationTime("5m").sign(foreign.privateKey);
    await expect(jwtVerify(forged, createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks`)), { issuer: t.url })).rejects.toThrow(/signature verification failed/);
  });
});

describe("a run's identity token lives no longer than the run may", () => {
  /** Claims a new run of a new stack and returns its job with the token's claims. */
  async function claimWithToken(t: TestServer, name: string) {
    const s = await t.admin.call("createStack", { body: { name, repository: "/srv/x.git", manageState: false } });
    const run = await t.admin.call("createRun", { params: { id: s.id }, body: {} });
    const before = Math.floor(Date.now() / 1000);
    const job = await (await protocolWorker(t, `w-${name}`)).claimRun(run.id);
    const claims = (await jwtVerify(job.oidcToken!, createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks`)), { issuer: t.url })).payload;
    return { job, claims, before, after: Math.ceil(Date.now() / 1000) };
  }

  it("expires at the phase's deadline when the run time limit is shorter than the token lifetime", async () => {
    const t = await startTestServer("sqlite", { settings: { runTimeLimitSeconds: 600 } });
    try {
      const { job, claims, before, after } = await claimWithToken(t, "short-limit");
      const deadline = Date.parse(job.deadline!) / 1000;
      expect(deadline).toBeGreaterThanOrEqual(before + 600);
      expect(deadline).toBeLessThanOrEqual(after + 600);
      expect(claims.exp).toBe(Math.floor(deadline));
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(600);
    } finally {
      await t.stop();
    }
  });

  it("keeps the configured lifetime when the run may go on longer, and hands the worker the deadline", async () => {
    const t = await startTestServer("sqlite", { settings: { runTimeLimitSeconds: 3 * 3600, oidcTokenTtlSeconds: 900 } });
    try {
      const { job, claims, before, after } = await claimWithToken(t, "long-limit");
      expect(claims.exp! - claims.iat!).toBe(900);
      const deadline = Date.parse(job.deadline!) / 1000;
      expect(deadline).toBeGreaterThanOrEqual(before + 3 * 3600);
      expect(deadline).toBeLessThanOrEqual(after + 3 * 3600);
      expect(decodeJwt(job.oidcToken!).exp).toBeLessThan(deadline);
    } finally {
      await t.stop();
    }
  });
});
