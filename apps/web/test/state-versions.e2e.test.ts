/**
 * A stack's state versions on its page, in Debian's headless chromium against a real server,
 * worker and terraform: the version a real run wrote (with a link to it), downloading one as a
 * .tfstate file, importing state files (refusals for another lineage, an older serial, a bad
 * file and an old format; force by an admin), rolling back (refused until the admin holds the
 * stack's lock), and what writers and readers get (and what the API refuses them).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { failure, userWithRole } from "../../server/test/harness.js";
import { makeRepo, waitForRun } from "../../worker/test/fixtures.js";
import { expectA11yClean, webSession } from "./browser.js";

const config = `
resource "terraform_data" "ledger" {
  input = "kept in state"
}
`;

const stateFile = (lineage: string, serial: number, version = 4) => ({
  name: `${lineage}-${serial}.tfstate`,
  mimeType: "application/json",
  buffer: Buffer.from(JSON.stringify({ version, terraform_version: "1.9.0", serial, lineage, outputs: {}, resources: [], check_results: null })),
});

describe("state versions on the stack page", () => {
  const web = webSession({
    worker: { concurrency: 1 },
    given: async (t) => {
      await t.admin.call("createStack", { body: { id: "ledger", name: "ledger", repository: makeRepo({ "main.tf": config }).path, autodeploy: true } });
      await t.admin.call("createStack", { body: { id: "own-backend", name: "own-backend", repository: makeRepo({ "main.tf": config }).path, manageState: false } });
      const run = await t.admin.call("createRun", { params: { id: "ledger" }, body: { type: "TRACKED" } });
      expect((await waitForRun(t.admin, run.id, undefined, 120_000)).state).toBe("FINISHED");
      const lineage = (await t.admin.call("listStateVersions", { params: { id: "ledger" } })).items[0]!.lineage;
      const writerKey = (await userWithRole(t, "writer", [{ spaceId: "root", role: "write" }])).key;
      const readerKey = (await userWithRole(t, "reader", [{ spaceId: "root", role: "read" }])).key;
      return { runId: run.id, lineage, writerKey, readerKey };
    },
    setUpTimeoutMs: 300_000,
  });

  it("lists the version a run wrote, links the run, and downloads it as a .tfstate file kept out of the address", async () => {
    const { t, page, given: { runId, lineage } } = web;
    await page.goto(`${t.url}/stacks/ledger`);
    const table = page.getByRole("table", { name: "state versions" });
    await expect.poll(() => table.count(), { timeout: 20_000 }).toBe(1);
    const row = table.getByRole("row").nth(1);
    expect(await row.textContent()).toContain(lineage);
    expect(await row.textContent()).toContain("current");
    await row.getByRole("link", { name: `run ${runId.slice(-8)}` }).waitFor();
    await expectA11yClean(page, "state-versions");

    const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: /^Download serial/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^ledger-serial-\d+\.tfstate$/);
    // The state travels as an object URL naming a blob, never inside an address.
    expect(download.url()).toMatch(/^blob:/);
    const saved = JSON.parse(readFileSync((await download.path())!, "utf8")) as { lineage: string; resources: { type: string }[] };
    expect(saved.lineage).toBe(lineage);
    expect(saved.resources.map((r) => r.type)).toEqual(["terraform_data"]);
    expect(page.url()).toBe(`${t.url}/stacks/ledger`);
    // Nothing of the state stays in the page's query cache: only the list's metadata is there.
    expect(await page.content()).not.toContain("kept in state");

    await row.getByRole("link", { name: `run ${runId.slice(-8)}` }).click();
    await page.waitForURL(`${t.url}/stacks/ledger/runs/${runId}`);
  });

  it("imports state files: refusals at the file field or above the form, an older serial forced by keyboard", async () => {
    const { t, page, given: { lineage } } = web;
    await page.goto(`${t.url}/stacks/ledger`);
    const form = page.getByRole("form", { name: "import state" });
    await form.waitFor({ timeout: 20_000 });
    const file = form.getByLabel("State file (.tfstate)");
    const before = (await t.admin.call("listStateVersions", { params: { id: "ledger" } })).items.length;

    // Not JSON: said at the field, nothing sent.
    await file.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not json") });
    await form.getByRole("button", { name: "Import state" }).click();
    await expect.poll(() => file.getAttribute("aria-invalid")).toBe("true");
    expect(await form.textContent()).toContain("notes.txt is not JSON");

    // An old format version: the server's field message (state.version) lands at the file field.
    await file.setInputFiles(stateFile(lineage, 50, 3));
    await form.getByRole("button", { name: "Import state" }).click();
    await expect.poll(() => form.locator(".field-error").first().textContent()).toContain("format version 3 is not supported");
    expect(await file.getAttribute("aria-invalid")).toBe("true");

    // Another lineage without force: the server's refusal says what to do.
    await file.setInputFiles(stateFile("5b0c7e6e-0000-4000-8000-000000000001", 1));
    await form.getByRole("button", { name: "Import state" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("another state");
    expect((await t.admin.call("listStateVersions", { params: { id: "ledger" } })).items.length).toBe(before);
    await expectA11yClean(page);

    // The same lineage with a newer serial is taken as it is.
    await file.setInputFiles(stateFile(lineage, 40));
    await form.getByRole("button", { name: "Import state" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toContain("serial 40");
    const table = page.getByRole("table", { name: "state versions" });
    await expect.poll(() => table.getByRole("row").nth(1).textContent()).toMatch(/^40/);

    // An older serial of the same lineage is refused; forced (keyboard only), it becomes current with the next serial.
    await file.setInputFiles(stateFile(lineage, 2));
    await form.getByRole("button", { name: "Import state" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("not newer than the stack's current serial 40");
    await form.getByLabel(/^Force:/).focus();
    await page.keyboard.press("Space");
    await form.getByRole("button", { name: "Import state (forced)" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => form.getByRole("status").textContent()).toContain("serial 41");
    const audit = await t.admin.call("listAuditEvents", { query: { action: "stack.state.import" } });
    expect(audit.items.map((e) => (e.payload as { forced: boolean }).forced).sort()).toEqual([false, true]);
  });

  it("refuses a rollback until the admin holds the stack's lock, then makes the run's version current again", async () => {
    const { t, page, given: { runId } } = web;
    await page.goto(`${t.url}/stacks/ledger`);
    const table = page.getByRole("table", { name: "state versions" });
    await expect.poll(() => table.count(), { timeout: 20_000 }).toBe(1);
    const runRow = table.getByRole("row").filter({ has: page.getByRole("link", { name: `run ${runId.slice(-8)}` }) }).first();
    const open = runRow.getByRole("button", { name: /^Roll back to serial/ });
    await open.focus();
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("group", { name: "confirm rollback" });
    expect(await confirm.textContent()).toContain("it is not locked now");
    await confirm.getByRole("button", { name: "Roll back now" }).click();
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "Not rolled back" }).textContent()).toContain("yourself before rolling back");
    await expectA11yClean(page);

    await page.getByRole("button", { name: "Lock…", exact: true }).click();
    await page.getByRole("form", { name: "lock the stack" }).getByRole("button", { name: "Lock the stack" }).click();
    await expect.poll(() => confirm.textContent()).toContain("you hold its lock now");
    await confirm.getByRole("button", { name: "Roll back now" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Rolled back" }).textContent()).toContain("serial 42 is current");
    const [current] = (await t.admin.call("listStateVersions", { params: { id: "ledger" } })).items;
    const content = await t.admin.call("getStateVersion", { params: { id: "ledger", versionId: current!.id } });
    expect((content.state as { resources: { type: string }[] }).resources.map((r) => r.type)).toEqual(["terraform_data"]);
    await page.getByRole("button", { name: "Unlock", exact: true }).click();
    await page.getByRole("button", { name: "Lock…", exact: true }).waitFor();
  });

  it("says a stack with its own backend has no versions here", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/own-backend`);
    await page.getByText("managed state is off").waitFor({ timeout: 20_000 });
    expect(await page.getByRole("form", { name: "import state" }).count()).toBe(0);
  });

  it("gives a writer the import without force or versions, a reader nothing, and the API refuses the rest", async () => {
    const { t, given: { lineage, writerKey, readerKey } } = web;
    const p = await web.pageAs({ apiKey: writerKey });
    await p.goto(`${t.url}/stacks/ledger`);
    const form = p.getByRole("form", { name: "import state" });
    await form.waitFor({ timeout: 20_000 });
    expect(await p.getByRole("heading", { name: "Import state" }).count()).toBe(1);
    expect(await p.getByRole("table", { name: "state versions" }).count()).toBe(0);
    expect(await form.getByLabel(/^Force:/).count()).toBe(0);
    expect(await p.getByRole("button", { name: /^Download serial/ }).count()).toBe(0);
    // A writer's import of an older serial is refused with the way out (an admin's force).
    await form.getByLabel("State file (.tfstate)").setInputFiles(stateFile(lineage, 3));
    await form.getByRole("button", { name: "Import state" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("--force (admin)");
    await expectA11yClean(p);
    const writer = t.client(writerKey);
    const [v] = (await t.admin.call("listStateVersions", { params: { id: "ledger" } })).items;
    expect((await failure(writer.call("listStateVersions", { params: { id: "ledger" } }))).status).toBe(403);
    expect((await failure(writer.call("getStateVersion", { params: { id: "ledger", versionId: v!.id } }))).status).toBe(403);
    expect((await failure(writer.call("rollbackState", { params: { id: "ledger", versionId: v!.id } }))).status).toBe(403);
    expect((await failure(writer.call("importState", { params: { id: "ledger" }, body: { state: { version: 4, serial: 1, lineage: "x" }, force: true } }))).status).toBe(403);
    await p.context().close();

    const r = await web.pageAs({ apiKey: readerKey });
    await r.goto(`${t.url}/stacks/ledger`);
    await r.getByRole("heading", { name: "Policies, contexts and integrations" }).waitFor({ timeout: 20_000 });
    expect(await r.getByRole("heading", { name: /State versions|Import state/ }).count()).toBe(0);
    expect((await failure(t.client(readerKey).call("importState", { params: { id: "ledger" }, body: { state: { version: 4, serial: 99, lineage } } }))).status).toBe(403);
    await r.context().close();
  });
});
