import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboundGuard } from "../../src/notifications/outbound-guard.js";
import { GithubClient } from "../../src/vcs/github/client.js";
import { GithubSimulator } from "../github-simulator.js";
import { dialects, failure, startTestServer, userWithRole, type TestServer } from "../harness.js";

/**
 * Changing a VCS integration after creation: every field UpdateVcsIntegration takes is applied
 * (read back), and a GitHub API URL the outbound guard refuses is refused at its field, since
 * the server calls that URL with the integration's token.
 */
describe.each(dialects)("VCS integration updates and the API URL guard (%s)", (dialect) => {
  let t: TestServer;
  const webhookSecret = "hook-secret-1";
  beforeAll(async () => {
    t = await startTestServer(dialect);
    await t.admin.call("createSpace", { body: { id: "team", name: "Team", parentSpaceId: "root" } });
    await t.admin.call("createVcsIntegration", { body: { id: "gh", name: "GitHub", spaceId: "team", provider: "GITHUB", token: "ghs_first", webhookSecret } });
  }, 120_000);
  afterAll(() => t?.stop());

  it("applies each field of a PATCH, secrets only as new checksums", async () => {
    const before = await t.admin.call("getVcsIntegration", { params: { id: "gh" } });
    await t.admin.call("updateVcsIntegration", { params: { id: "gh" }, body: { name: "GitHub Enterprise", description: "the company's GHES", labels: ["team:platform", "ghes"], apiBaseUrl: "https://ghes.invalid/api/v3/", token: "ghs_second" } });
    const after = await t.admin.call("getVcsIntegration", { params: { id: "gh" } });
    expect(after).toMatchObject({ name: "GitHub Enterprise", description: "the company's GHES", labels: ["team:platform", "ghes"], apiBaseUrl: "https://ghes.invalid/api/v3", webhookSecretChecksum: before.webhookSecretChecksum });
    expect(after.tokenChecksum).not.toBe(before.tokenChecksum);
    expect(JSON.stringify(after)).not.toContain("ghs_second");
  });

  it.each([
    ["http://127.0.0.1:8080/api/v3", /address 127\.0\.0\.1 is loopback/],
    ["http://169.254.169.254/latest", /address 169\.254\.169\.254 is loopback, private, link-local/],
    ["https://[::1]/api/v3", /address ::1 is/],
    ["https://10.1.2.3/api/v3", /address 10\.1\.2\.3 is/],
    ["http://localhost:9/api/v3", /localhost resolves to address (127\.0\.0\.1|::1)/],
  ])("refuses the internal API URL %s at its field and keeps the stored one", async (url, message) => {
    const err = await failure(t.admin.call("updateVcsIntegration", { params: { id: "gh" }, body: { apiBaseUrl: url, description: "not saved" } }));
    expect(err.status).toBe(422);
    const issues = (err.details as { issues: { path: string[]; message: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual([["apiBaseUrl"]]);
    expect(issues[0]!.message).toMatch(message);
    expect(issues[0]!.message).toMatch(/GANTRY_OUTBOUND_ALLOW/);
    const stored = await t.admin.call("getVcsIntegration", { params: { id: "gh" } });
    expect(stored).toMatchObject({ apiBaseUrl: "https://ghes.invalid/api/v3", description: "the company's GHES" });
  });

  it("refuses an internal API URL on creation, storing nothing", async () => {
    const err = await failure(t.admin.call("createVcsIntegration", { body: { id: "inside", name: "inside", provider: "GITHUB", apiBaseUrl: "http://192.168.1.10/api/v3", webhookSecret } }));
    expect(err.status).toBe(422);
    expect((err.details as { issues: { path: string[] }[] }).issues.map((i) => i.path)).toEqual([["apiBaseUrl"]]);
    expect((await t.admin.call("listVcsIntegrations", { query: {} })).items.map((i) => i.id)).toEqual(["gh"]);
  });

  it("lets only admins of the integration's space change it", async () => {
    const writer = await userWithRole(t, `writer-${dialect}`, [{ spaceId: "team", role: "write" }]);
    const err = await failure(t.client(writer.key).call("updateVcsIntegration", { params: { id: "gh" }, body: { description: "by a writer" } }));
    expect(err.status).toBe(403);
    const teamAdmin = await userWithRole(t, `team-admin-${dialect}`, [{ spaceId: "team", role: "admin" }]);
    const changed = await t.client(teamAdmin.key).call("updateVcsIntegration", { params: { id: "gh" }, body: { description: "by the team's admin" } });
    expect(changed.description).toBe("by the team's admin");
  });
});

describe("a server whose operator admits loopback (sqlite)", () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer("sqlite", { settings: { outboundAllow: "127.0.0.0/8" } }); }, 120_000);
  afterAll(() => t?.stop());

  it("accepts an API URL in GANTRY_OUTBOUND_ALLOW", async () => {
    const created = await t.admin.call("createVcsIntegration", { body: { name: "local GHES", provider: "GITHUB", apiBaseUrl: "http://127.0.0.1:9/api/v3", webhookSecret: "s" } });
    expect(created.apiBaseUrl).toBe("http://127.0.0.1:9/api/v3");
  });
});

describe("the GitHub client judges the address it connects to", () => {
  const github = new GithubSimulator({ token: "ghs_test", repos: ["acme/infra"], prefix: "/api/v3" });
  beforeAll(() => github.start());
  afterAll(() => github.stop());
  const status = { state: "success" as const, context: "gantry/x", description: "ok" };

  it("refuses loopback (by address and by a name resolving to it) unless the guard admits it", async () => {
    const strict = new OutboundGuard([]);
    await expect(new GithubClient({ apiBaseUrl: github.url, token: "ghs_test", guard: strict }).setStatus("acme/infra", "a".repeat(40), status)).rejects.toThrow(/refused: address 127\.0\.0\.1/);
    const byName = github.url.replace("127.0.0.1", "localhost");
    await expect(new GithubClient({ apiBaseUrl: byName, token: "ghs_test", guard: strict }).setStatus("acme/infra", "b".repeat(40), status)).rejects.toThrow(/refused: localhost resolves to/);
    expect(github.statuses).toEqual([]);
    await new GithubClient({ apiBaseUrl: github.url, token: "ghs_test", guard: new OutboundGuard(["127.0.0.0/8", "::1/128"]) }).setStatus("acme/infra", "c".repeat(40), status);
    expect(github.statuses.map((s) => s.sha)).toEqual(["c".repeat(40)]);
    expect(github.rejected).toEqual([]);
  });
});
