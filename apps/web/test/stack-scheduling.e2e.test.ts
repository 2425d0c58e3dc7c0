/**
 * Drift detection and schedules on the stack's settings page, in Debian's headless chromium
 * against a real server: a bad cron expression refused at its field, drift detection turned on,
 * changed and off; a task schedule created and removed; a reader never reaches the forms.
 */
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { makeRepo } from "../../worker/test/fixtures.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("stack scheduling on the settings page", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createStack", { body: { id: "nightly", name: "nightly", repository: makeRepo({ "main.tf": "" }).path } });
      return { readerKey: (await userWithRole(t, "reader", [{ spaceId: "root", role: "read" }])).key };
    },
  });

  it("turns drift detection on (a bad cron refused at its field), changes it and turns it off", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/nightly/settings`);
    const form = page.getByRole("form", { name: "drift detection" });
    const cron = form.getByLabel("Schedule (cron, one a line)");
    await cron.fill("not a cron");
    await form.getByRole("button", { name: "Turn on drift detection" }).click();
    expect(await fieldProblem(form, "Schedule (cron, one a line)")).toContain("invalid cron expression");
    expect((await failure(t.admin.call("getDriftDetection", { params: { id: "nightly" } }))).status).toBe(404);
    await cron.fill("0 */4 * * *");
    await form.getByLabel("Reconcile: queue a tracked run when drift is found").check();
    await form.getByRole("button", { name: "Turn on drift detection" }).click();
    await form.getByRole("button", { name: "Save drift detection" }).waitFor();
    const d = await t.admin.call("getDriftDetection", { params: { id: "nightly" } });
    expect(d.schedule).toEqual(["0 */4 * * *"]);
    expect(d.reconcile).toBe(true);
    await expectA11yClean(page, "stack-scheduling");
    await page.getByRole("button", { name: "Turn off drift detection" }).click();
    await form.getByRole("button", { name: "Turn on drift detection" }).waitFor();
    expect((await failure(t.admin.call("getDriftDetection", { params: { id: "nightly" } }))).status).toBe(404);
  });

  it("creates and removes a task schedule", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/nightly/settings`);
    const form = page.getByRole("form", { name: "new schedule" });
    await form.getByLabel("Command").fill("terraform output");
    await form.getByLabel("Every (cron, one a line)").fill("30 2 * * *");
    await form.getByRole("button", { name: "Create schedule" }).click();
    const table = page.getByRole("table", { name: "schedules" });
    await expect.poll(async () => (await table.count()) ? table.textContent() : "").toContain("terraform output");
    const [s] = (await t.admin.call("listSchedules", { params: { id: "nightly" } })).items;
    expect(s).toMatchObject({ kind: "TASK", command: "terraform output", every: ["30 2 * * *"] });
    await page.getByRole("button", { name: `Remove schedule ${s!.id}` }).click();
    await expect.poll(() => table.count()).toBe(0);
    expect((await t.admin.call("listSchedules", { params: { id: "nightly" } })).items).toEqual([]);
  });

  it("gives a reader no scheduling forms (and the API refuses them)", async () => {
    const { t, given: { readerKey } } = web;
    const p = await web.pageAs({ apiKey: readerKey });
    await p.goto(`${t.url}/stacks/nightly/settings`);
    await p.getByRole("alert").filter({ hasText: "needs the write role" }).waitFor();
    expect(await p.getByRole("form", { name: "drift detection" }).count()).toBe(0);
    expect((await failure(t.client(readerKey).call("createSchedule", { params: { id: "nightly" }, body: { kind: "DESTROY", every: ["0 0 * * *"] } }))).status).toBe(403);
    await p.context().close();
  });
});
