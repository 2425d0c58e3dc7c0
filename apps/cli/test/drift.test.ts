/**
 * The drift detection and schedule commands, as child processes against a real server: settings
 * set, shown and deleted, a bad cron expression reported with the field and the parse error, a
 * drift check printed like `run trigger` (and as the run object with -o json), schedules with
 * their next run time.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

let t: TestServer;
let asAdmin: CliOptions;

beforeAll(async () => {
  t = await startTestServer();
  asAdmin = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "xdg") }, cwd: t.scratch };
  await t.admin.call("createStack", { body: { id: "drifty", name: "drifty", repository: "/srv/git/infra.git" } });
});
afterAll(async () => t?.stop());

const gantry = (args: string[]) => runCli(args, asAdmin);

describe("gantry stack drift-detection and drift-check", () => {
  it("sets, shows and deletes drift detection; refuses a bad cron expression", async () => {
    const bad = await gantry(["stack", "drift-detection", "set", "drifty", "--schedule", "0 * * * *", "61 * * * *"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('invalid cron expression "61 * * * *"');
    expect(bad.stderr).toContain("schedule.1");
    const set = await gantry(["stack", "drift-detection", "set", "drifty", "--schedule", "0 3 * * *", "--timezone", "Europe/Paris", "--reconcile"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^reconcile:\s+yes$/m);
    expect(set.stdout).toMatch(/^next run:\s+\d{4}-\d\d-\d\dT0[12]:00:00\.000Z$/m);
    const shown = await gantry(["stack", "drift-detection", "show", "drifty", "-o", "json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ stackId: "drifty", schedule: ["0 3 * * *"], timezone: "Europe/Paris", reconcile: true, ignoreState: false });
    expect((await gantry(["stack", "drift-detection", "delete", "drifty"])).code).toBe(0);
    const gone = await gantry(["stack", "drift-detection", "show", "drifty"]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("does not exist");
  });

  it("queues a drift check and prints it like run trigger, or as the run object", async () => {
    const text = await gantry(["stack", "drift-check", "drifty"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^type:\s+PROPOSED$/m);
    expect(text.stdout).toMatch(/^drift detection:\s+yes$/m);
    const json = await gantry(["stack", "drift-check", "drifty", "-o", "json"]);
    const run = JSON.parse(json.stdout) as { id: string; driftDetection: boolean; type: string };
    expect(run).toMatchObject({ type: "PROPOSED", driftDetection: true, stackId: "drifty" });
    expect((await t.admin.call("getRun", { params: { id: run.id } })).driftDetection).toBe(true);
    const shown = await gantry(["stack", "show", "drifty"]);
    expect(shown.stdout).toMatch(/^drift:\s+-$/m);
  });

  it("schedules a task, lists it with its next run time and removes it", async () => {
    const bad = await gantry(["stack", "schedule", "task", "drifty", "--at", "2001-01-01T00:00:00Z", "--", "echo", "hi"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("is in the past");
    const task = await gantry(["stack", "schedule", "task", "drifty", "--cron", "*/5 * * * *", "-o", "json", "--", "terraform", "state", "list"]);
    expect(task.code, task.stderr).toBe(0);
    const created = JSON.parse(task.stdout) as { id: string; command: string; nextRunAt: string };
    expect(created.command).toBe("terraform state list");
    expect(Date.parse(created.nextRunAt)).toBeGreaterThan(Date.now());
    const listed = await gantry(["stack", "schedule", "list", "drifty"]);
    expect(listed.stdout).toContain(created.id);
    expect(listed.stdout).toContain(created.nextRunAt);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const del = await gantry(["stack", "schedule", "delete-stack", "drifty", "--at", later, "--keep-resources"]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toContain("DELETE (keep resources)");
    expect((await gantry(["stack", "schedule", "remove", "drifty", created.id])).code).toBe(0);
    expect((await t.admin.call("listSchedules", { params: { id: "drifty" } })).items.map((s) => s.kind)).toEqual(["DELETE"]);
  });
});
