/**
 * A registry token made through the API (what the web UI's registry tokens page does), on both
 * dialects: shown once, stored hashed, reads the registry and nothing else, listed without its
 * secret, audited, and dead once revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { registryGet } from "./registry-client.js";

describe.each(dialects)("creating a registry token through the API (%s)", (dialect) => {
  let t: TestServer;
  let person: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { httpsPort: 0 } });
    person = await userWithRole(t, "ci-person", [{ spaceId: "root", role: "read" }]);
  }, 60_000);
  afterAll(async () => t?.stop());

  it("makes a token shown once that reads only the registry, until revoked", async () => {
    const https = t.server.httpsUrl!;
    const ca = t.server.registry.caCertificatePem!;
    const created = await t.client(person.key).call("createRegistryToken", { body: { description: "CI terraform" } });
    expect(created.secret).toMatch(/^grt_[0-9A-Za-z]+_/);
    expect(created.token).toMatchObject({ userId: person.id, description: "CI terraform", lastUsedAt: null });
    expect(Date.parse(created.token.expiresAt!) - Date.parse(created.token.createdAt)).toBe(90 * 86_400_000);
    const secretPart = /^grt_[0-9A-Za-z]+_(.+)$/.exec(created.secret)![1]!;
    expect(await dumpTable(t, "registry_tokens")).not.toContain(secretPart);
    // Listed without the secret.
    const listed = await t.client(person.key).call("listRegistryTokens", {});
    expect(listed.items.map((i) => i.id)).toEqual([created.token.id]);
    expect(JSON.stringify(listed)).not.toContain(secretPart);
    // It reads the registry (a missing provider is a 404, not a 401) and nothing else.
    expect((await registryGet(https, ca, "/v1/providers/nobody/nothing/versions", created.secret)).status).toBe(404);
    expect((await t.raw("GET", "/api/v1/me", { token: created.secret })).status).toBe(401);
    const audit = await t.admin.call("listAuditEvents", { query: { action: "registry_token.create" } });
    expect(audit.items.map((e) => e.targetId)).toEqual([created.token.id]);
    expect(JSON.stringify(audit)).not.toContain(secretPart);
    await t.client(person.key).call("deleteRegistryToken", { params: { id: created.token.id } });
    expect((await registryGet(https, ca, "/v1/providers/nobody/nothing/versions", created.secret)).status).toBe(401);
  });

  it("refuses a token without a description, naming the field", async () => {
    const err = await failure(t.client(person.key).call("createRegistryToken", { body: { description: "  " } }));
    expect(err.status).toBe(422);
    expect(JSON.stringify(err.details)).toContain("description");
    expect(err.message + JSON.stringify(err.details)).toContain("must say what the token is for");
  });
});
