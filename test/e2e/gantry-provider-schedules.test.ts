/**
 * The drift detection and schedule resources of terraform-provider-gantry with the REAL
 * terraform (provider bundled and installed from a filesystem mirror) against a real server:
 * created, read back through the API, updated in place (drift detection) or replaced
 * (schedules), refused with the attribute named, and destroyed.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gantryProviderWorkspace, terraform } from "./terraform.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";


const header = `terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
  }
}
provider "gantry" {}
resource "gantry_stack" "app" {
  slug       = "sched-app"
  name       = "sched app"
  repository = "/srv/git/infra.git"
}
resource "gantry_stack" "temp" {
  slug       = "sched-temp"
  name       = "sched temp"
  repository = "/srv/git/infra.git"
}
`;

describe("terraform-provider-gantry drift detection and schedules with real terraform", () => {
  let t: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const tf = (args: string[]) => terraform(join(dir, "work"), args, env);
  const write = (hcl: string) => writeFileSync(join(dir, "work", "main.tf"), header + hcl);
  // A whole hour ahead, in Unix seconds, as Spacelift's `at`.
  const later = Math.floor(Date.now() / 1000) + 7200;

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    ({ dir, env } = await gantryProviderWorkspace(t, "gantry-provider-sched-"));
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates, updates, refuses and destroys drift detection, scheduled tasks and scheduled deletes", async () => {
    const resources = (schedule: string) => `
resource "gantry_drift_detection" "app" {
  stack_id  = gantry_stack.app.id
  schedule  = ["${schedule}"]
  timezone  = "Europe/Paris"
  reconcile = true
}
resource "gantry_scheduled_task" "cleanup" {
  stack_id = gantry_stack.app.id
  command  = "terraform state list"
  every    = ["0 2 * * *"]
}
resource "gantry_scheduled_delete_stack" "temp" {
  stack_id         = gantry_stack.temp.id
  at               = ${later}
  delete_resources = false
}
`;
    write(resources("0 * * * *"));
    expect((await tf(["init"])).code).toBe(0);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain("Apply complete! Resources: 5 added");
    expect(await t.admin.call("getDriftDetection", { params: { id: "sched-app" } })).toMatchObject({ schedule: ["0 * * * *"], timezone: "Europe/Paris", reconcile: true, ignoreState: false });
    expect((await t.admin.call("listSchedules", { params: { id: "sched-app" } })).items).toMatchObject([{ kind: "TASK", command: "terraform state list", every: ["0 2 * * *"] }]);
    const del = (await t.admin.call("listSchedules", { params: { id: "sched-temp" } })).items[0];
    expect(del).toMatchObject({ kind: "DELETE", deleteResources: false, at: new Date(later * 1000).toISOString(), nextRunAt: new Date(later * 1000).toISOString() });
    expect((await tf(["plan", "-detailed-exitcode"])).code).toBe(0);

    // A new schedule updates drift detection in place.
    write(resources("30 6 * * 1-5"));
    const update = await tf(["apply", "-auto-approve"]);
    expect(update.code, update.out).toBe(0);
    expect(update.out).toContain("0 added, 1 changed, 0 destroyed");
    expect((await t.admin.call("getDriftDetection", { params: { id: "sched-app" } })).schedule).toEqual(["30 6 * * 1-5"]);

    // A bad cron expression is refused with the attribute and croner's message; nothing changes.
    write(resources("0 0 31 2 * *x"));
    const bad = await tf(["apply", "-auto-approve"]);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain("invalid cron expression");
    expect(bad.out).toMatch(/schedule/);
    expect((await t.admin.call("getDriftDetection", { params: { id: "sched-app" } })).schedule).toEqual(["30 6 * * 1-5"]);

    write(resources("30 6 * * 1-5"));
    const destroy = await tf(["destroy", "-auto-approve"]);
    expect(destroy.code, destroy.out).toBe(0);
    expect((await t.admin.call("listStacks", { query: {} })).items.map((s) => s.id)).not.toContain("sched-app");
  }, 300_000);
});
