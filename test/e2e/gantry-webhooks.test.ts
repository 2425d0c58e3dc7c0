/**
 * `gantry_webhook` and `gantry_named_webhook` with the REAL terraform and the bundled provider
 * against a real server: Spacelift's attributes create, update, import and destroy webhook
 * endpoints; the secret stays write-only; bad input lands on its line.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gantryProviderWorkspace, terraform } from "./terraform.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpTable, startTestServer, type TestServer } from "../../apps/server/test/harness.js";

const header = `terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
provider "gantry" {}
resource "gantry_stack" "app" {
  slug       = "app"
  name       = "app"
  repository = "/srv/git/infra.git"
}
`;

describe("gantry_webhook and gantry_named_webhook with real terraform", () => {
  let t: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const tf = (args: string[]) => terraform(join(dir, "work"), args, env);
  const write = (hcl: string) => writeFileSync(join(dir, "work", "main.tf"), header + hcl);

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    ({ dir, env } = await gantryProviderWorkspace(t, "gantry-provider-webhooks-"));
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates, updates, imports and destroys webhooks; the secret is write-only", async () => {
    write(`
resource "gantry_webhook" "app" {
  stack_id = gantry_stack.app.id
  endpoint = "https://hooks.example.com/app"
  secret   = "0123456789abcdef-app"
}
resource "gantry_named_webhook" "ops" {
  slug     = "ops"
  name     = "ops"
  space_id = "root"
  endpoint = "https://hooks.example.com/ops"
  enabled  = true
  labels   = ["autoattach:env:prod"]
  secret   = "0123456789abcdef-ops"
}
`);
    expect((await tf(["init"])).code).toBe(0);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    const hooks = (await t.admin.call("listWebhooks", {})).items;
    const app = hooks.find((h) => h.stackId === "app")!;
    expect(app).toMatchObject({ endpoint: "https://hooks.example.com/app", enabled: true, spaceId: "root" });
    expect(hooks.find((h) => h.id === "ops")).toMatchObject({ endpoint: "https://hooks.example.com/ops", labels: ["autoattach:env:prod"], stackId: null });
    expect(app.secretChecksum).toMatch(/^[0-9a-f]{16}$/);
    expect(await dumpTable(t, "webhooks")).not.toContain("0123456789abcdef");

    // No changes on a second plan: the secret is matched by checksum.
    const again = await tf(["plan", "-detailed-exitcode"]);
    expect(again.code, again.out).toBe(0);

    // A secret rotated outside Terraform shows as a change, and apply puts it back.
    await t.admin.call("updateWebhook", { params: { id: "ops" }, body: { secret: "someone-else-rotated-it" } });
    const drift = await tf(["plan", "-detailed-exitcode"]);
    expect(drift.code, drift.out).toBe(2);
    expect(drift.out).toMatch(/gantry_named_webhook\.ops will be updated in-place/);

    write(`
resource "gantry_webhook" "app" {
  stack_id = gantry_stack.app.id
  endpoint = "https://hooks.example.com/app-v2"
  enabled  = false
  secret   = "0123456789abcdef-app"
}
resource "gantry_named_webhook" "ops" {
  slug     = "ops"
  name     = "ops"
  space_id = "root"
  endpoint = "https://hooks.example.com/ops"
  enabled  = true
  labels   = ["autoattach:*"]
  secret   = "0123456789abcdef-ops"
}
`);
    const update = await tf(["apply", "-auto-approve"]);
    expect(update.code, update.out).toBe(0);
    expect(await t.admin.call("getWebhook", { params: { id: app.id } })).toMatchObject({ endpoint: "https://hooks.example.com/app-v2", enabled: false });
    expect((await t.admin.call("getWebhook", { params: { id: "ops" } })).labels).toEqual(["autoattach:*"]);

    expect((await tf(["state", "rm", "gantry_named_webhook.ops"])).code).toBe(0);
    const imported = await tf(["import", "gantry_named_webhook.ops", "ops"]);
    expect(imported.code, imported.out).toBe(0);

    const destroy = await tf(["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
    expect((await t.admin.call("listWebhooks", {})).items).toEqual([]);
  }, 300_000);

  it("shows bad input on its line: a short secret, a non-http URL, a module webhook", async () => {
    write(`
resource "gantry_named_webhook" "bad" {
  name     = "bad"
  space_id = "root"
  endpoint = "ftp://hooks.example.com/x"
  enabled  = true
  secret   = "short"
}
resource "gantry_webhook" "module" {
  module_id = "some-module"
  endpoint  = "https://hooks.example.com/m"
}
`);
    const validate = await tf(["validate"]);
    expect(validate.code).toBe(1);
    expect(validate.out).toMatch(/module webhooks are not supported yet/);
    write(`
resource "gantry_named_webhook" "bad" {
  name     = "bad"
  space_id = "root"
  endpoint = "ftp://hooks.example.com/x"
  enabled  = true
  secret   = "short"
}
`);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code).toBe(1);
    expect(apply.out).toMatch(/must be an http\(s\) URL/);
    expect(apply.out).toMatch(/endpoint = "ftp:\/\/hooks\.example\.com\/x"/);
    await tf(["destroy", "-auto-approve"]);
  }, 300_000);
});
