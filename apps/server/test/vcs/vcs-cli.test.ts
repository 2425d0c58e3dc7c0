/**
 * `gantry vcs integration create|list|show|delete` as a person runs them: secrets from the
 * environment, never echoed back; the webhook path printed for GitHub's settings page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/test/run-cli.js";
import { dialects, startTestServer, type TestServer } from "../harness.js";

describe.each(dialects)("gantry vcs integration (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.stop());

  it("creates, lists, shows and deletes integrations without ever printing a secret", async () => {
    const env = { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.dataDir };
    const created = await runCli(["vcs", "integration", "create", "--name", "GitHub EE", "--id", "ghe", "--provider", "github", "--api-url", "https://ghe.example.com/api/v3"], {
      env: { ...env, GANTRY_VCS_TOKEN: "ghp_cli_token", GANTRY_VCS_WEBHOOK_SECRET: "cli-webhook-secret" },
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("/webhooks/github/ghe");
    const [list, show, raw] = await Promise.all([
      runCli(["vcs", "integration", "list"], { env }),
      runCli(["vcs", "integration", "show", "ghe", "-o", "json"], { env }),
      runCli(["vcs", "integration", "create", "--name", "hooks", "--provider", "RAW_GIT"], { env }),
    ]);
    expect(list.stdout).toMatch(/ghe\s+GitHub EE\s+GITHUB\s+root\s+https:\/\/ghe\.example\.com\/api\/v3/);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: "ghe", provider: "GITHUB", tokenChecksum: expect.any(String) });
    for (const out of [created, list, show]) expect(out.stdout + out.stderr).not.toMatch(/ghp_cli_token|cli-webhook-secret/);
    expect(raw.code, raw.stderr).toBe(0);
    const bad = await runCli(["vcs", "integration", "create", "--name", "x", "--provider", "gitlab"], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--provider must be GITHUB or RAW_GIT");
    const deleted = await runCli(["vcs", "integration", "delete", "hooks"], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await t.admin.call("listVcsIntegrations", { query: {} })).items.map((i) => i.id)).toEqual(["ghe"]);
  }, 60_000);
});
