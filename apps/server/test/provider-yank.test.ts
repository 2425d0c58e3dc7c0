/**
 * Yanking a provider version, on both dialects: write on the namespace's space (like publishing),
 * audited, left out of providers.v1's versions list and the mirror's index.json (so no fresh
 * constraint picks it), its download and `<version>.json` still answering an exact pin, and the
 * latest version skipping it. Lock files pinning it in runs: test/e2e/provider-registry.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { authorKey, publishBody } from "./provider-fixtures.js";
import { registryGet } from "./registry-client.js";

describe.each(dialects)("provider version yank (%s)", (dialect) => {
  let t: TestServer;
  let https: string;
  let ca: string;
  const version = (v: string) => ({ params: { id: "acme", type: "demo", version: v } });

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { httpsPort: 0, shippedProvidersDir: "/nonexistent" } });
    https = t.server.httpsUrl!;
    ca = t.server.registry.caCertificatePem!;
    await t.admin.call("createSpace", { body: { id: "platform", name: "platform" } });
    const key = await authorKey("acme");
    await t.admin.call("createProviderNamespace", { body: { id: "acme", spaceId: "platform" } });
    await t.admin.call("addProviderGpgKey", { params: { id: "acme" }, body: { asciiArmor: key.publicKey } });
    for (const v of ["1.0.0", "1.1.0"]) await t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body: await publishBody(key, "demo", v) });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("needs write on the namespace's space, like publishing", async () => {
    const reader = await userWithRole(t, "reader", [{ spaceId: "platform", role: "read" }]);
    const refused = await failure(t.client(reader.key).call("updateProviderVersion", { ...version("1.1.0"), body: { yanked: true } }));
    expect(refused.status).toBe(403);
    expect(refused.message).toContain("yanking a provider version");
    expect((await failure(t.admin.call("updateProviderVersion", { ...version("9.9.9"), body: { yanked: true } }))).status).toBe(404);
    expect((await failure(t.admin.call("updateProviderVersion", { params: { id: "sim", type: "aws", version: "0.1.0" }, body: { yanked: true } }))).status).toBe(404);
  });

  it("hides a yanked version from terraform's lists but still serves it by exact version", async () => {
    const yanked = await t.admin.call("updateProviderVersion", { ...version("1.1.0"), body: { yanked: true } });
    expect(yanked).toMatchObject({ version: "1.1.0", yanked: true });
    const listed = (await t.admin.call("listProviderVersions", { params: { id: "acme", type: "demo" } })).items;
    expect(listed.map((v) => `${v.version}${v.yanked ? " yanked" : ""}`)).toEqual(["1.1.0 yanked", "1.0.0"]);
    expect((await t.admin.call("listProviders", {})).items.find((p) => p.type === "demo")).toMatchObject({ latestVersion: "1.0.0", versions: 2 });

    const host = t.server.registry.host;
    expect((await registryGet(https, ca, "/v1/providers/acme/demo/versions", t.adminKey)).json()).toMatchObject({ versions: [{ version: "1.0.0" }] });
    expect(((await registryGet(https, ca, "/v1/providers/acme/demo/versions", t.adminKey)).json() as { versions: unknown[] }).versions).toHaveLength(1);
    expect((await registryGet(https, ca, `/v1/mirror/${host}/acme/demo/index.json`, t.adminKey)).json()).toEqual({ versions: { "1.0.0": {} } });
    // An exact pin: the version's own documents and the zip still answer.
    const download = (await registryGet(https, ca, "/v1/providers/acme/demo/1.1.0/download/linux/amd64", t.adminKey)).json() as { download_url: string };
    expect((await registryGet(https, ca, download.download_url)).status).toBe(200);
    expect((await registryGet(https, ca, `/v1/mirror/${host}/acme/demo/1.1.0.json`, t.adminKey)).json()).toMatchObject({ archives: { linux_amd64: {} } });
  });

  it("unyanks, and audits both", async () => {
    expect(await t.admin.call("updateProviderVersion", { ...version("1.1.0"), body: { yanked: false } })).toMatchObject({ yanked: false });
    expect((await registryGet(https, ca, `/v1/mirror/${t.server.registry.host}/acme/demo/index.json`, t.adminKey)).json()).toEqual({ versions: { "1.0.0": {}, "1.1.0": {} } });
    const audit = await t.admin.call("listAuditEvents", { query: { limit: 50 } });
    const actions = audit.items.filter((e) => e.targetId === "acme/demo").map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["provider.version.yank", "provider.version.unyank"]));
    // Unyanking what is not yanked changes nothing and records nothing more.
    await t.admin.call("updateProviderVersion", { ...version("1.1.0"), body: { yanked: false } });
    const again = (await t.admin.call("listAuditEvents", { query: { limit: 50 } })).items.filter((e) => e.action === "provider.version.unyank");
    expect(again).toHaveLength(1);
  });
});
