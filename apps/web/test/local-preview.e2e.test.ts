/**
 * Previewing uncommitted code from the stack page, in Debian's headless chromium against a real
 * server and worker with the real terraform: a gzipped tar of a working directory picked in the
 * page becomes a proposed run that plans that code (the stack's repository does not even exist);
 * a file that is not such an archive is refused at its field with no run queued; the button is
 * offered only on stacks that allow local previews, and not to a reader (the API refusing too).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitForRun } from "../../worker/test/fixtures.js";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

const code = mkdtempSync(join(tmpdir(), "gantry-web-local-preview-"));

/** A working directory with `infra/main.tf`, packed as a person would, answering the archive's path. */
function workingDirectoryArchive(): string {
  mkdirSync(join(code, "tree", "infra"), { recursive: true });
  writeFileSync(join(code, "tree", "infra", "main.tf"), 'resource "terraform_data" "note" {\n  input = "uncommitted-from-the-browser"\n}\n');
  const archive = join(code, "preview.tar.gz");
  const r = spawnSync("tar", ["czf", archive, "-C", join(code, "tree"), "."], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return archive;
}

describe("web UI: local preview", () => {
  const web = webSession({
    worker: { concurrency: 1 },
    given: async (t) => {
      // The repository does not exist: a local preview never needs it.
      const common = { spaceId: "root", repository: join(code, "no-such-repository"), branch: "main", projectRoot: "infra", manageState: false };
      await t.admin.call("createStack", { body: { id: "previewed", name: "previewed", enableLocalPreview: true, ...common } });
      await t.admin.call("createStack", { body: { id: "closed", name: "closed", ...common } });
      return { readerKey: (await userWithRole(t, "reader", [{ spaceId: "root", role: "read" }])).key };
    },
  });
  afterAll(() => spawnSync("rm", ["-rf", code]));

  it("refuses a file that is not an archive at its field, then plans the uploaded code as a proposed run", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/previewed`);
    await page.getByRole("button", { name: "Preview local code…" }).click();
    const form = page.getByRole("form", { name: "preview local code" });
    writeFileSync(join(code, "notes.tar.gz"), "not gzip at all");
    await form.getByLabel("Working directory archive (.tar.gz)").setInputFiles(join(code, "notes.tar.gz"));
    await form.getByRole("button", { name: "Queue the preview" }).click();
    expect(await fieldProblem(form, "Working directory archive (.tar.gz)")).toContain("not a valid gzipped tar");
    expect((await t.admin.call("listStackRuns", { params: { id: "previewed" }, query: {} })).items).toEqual([]);
    await expectA11yClean(page, "local-preview-refused");

    await form.getByLabel("Working directory archive (.tar.gz)").setInputFiles(workingDirectoryArchive());
    await form.getByLabel("Message (optional)").fill("try the note");
    await form.getByRole("button", { name: "Queue the preview" }).click();
    await page.waitForURL(new RegExp(`${t.url}/stacks/previewed/runs/[0-9A-Z]+$`));
    const runId = page.url().split("/").at(-1)!;
    const run = await waitForRun(t.admin, runId, undefined, 180_000);
    expect([run.type, run.state]).toEqual(["PROPOSED", "FINISHED"]);
    const logs = await t.admin.call("runLogs", { params: { id: runId }, query: {} });
    expect(logs.entries.map((l) => l.text).join("\n")).toContain("uncommitted-from-the-browser");
    await page.getByText("try the note").first().waitFor();
  });

  it("offers no preview on a stack that does not allow it, nor to a reader, whom the API refuses", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/closed`);
    await page.getByRole("button", { name: "Trigger run" }).waitFor();
    expect(await page.getByRole("button", { name: "Preview local code…" }).count()).toBe(0);
    const reader = await web.pageAs({ apiKey: web.given.readerKey });
    await reader.goto(`${t.url}/stacks/previewed`);
    await reader.getByText("You can read this stack").waitFor();
    expect(await reader.getByRole("button", { name: "Preview local code…" }).count()).toBe(0);
    await reader.context().close();
    const refused = await failure(t.client(web.given.readerKey).call("createLocalPreview", { params: { id: "previewed" }, body: { archiveBase64: "H4sIAAAAAAAAAwMAAAAAAAAAAAA=" } }));
    expect(refused.status).toBe(403);
  });
});
