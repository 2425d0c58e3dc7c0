/**
 * Worker pool administration in Debian's headless chromium against a real server: create (the
 * token shown once, and it works for the worker protocol), reset the token (the old one refused),
 * delete (refused while a stack uses the pool), and no buttons for a writer (the API refusing too).
 */
import { describe, expect, it } from "vitest";
import { failure } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, teamWithAdminAndWriter, webSession } from "./browser.js";

describe("web UI: worker pools", () => {
  const web = webSession({
    given: teamWithAdminAndWriter,
    logInAs: (_t, given) => ({ apiKey: given.adminKey }),
    acceptDialogs: true,
  });

  const register = (token: string) => web.t.raw("POST", "/api/v1/worker/register", { token, body: JSON.stringify({ name: "w1" }) });

  it("creates a pool with its token shown once, resets the token and deletes the pool", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/worker-pools`);
    const form = page.getByRole("form", { name: "new worker pool" });
    await form.getByLabel("Id (optional)").fill("Bad Id");
    await form.getByLabel("Name").fill("builders");
    await form.getByRole("button", { name: "Create worker pool" }).click();
    expect(await fieldProblem(form, "Id (optional)")).toContain("must be a lowercase slug");
    await form.getByLabel("Id (optional)").fill("builders");
    await form.getByRole("button", { name: "Create worker pool" }).click();
    const once = page.getByRole("status").filter({ hasText: "Token of pool builders" });
    const token = (await once.locator("code").last().textContent())!;
    expect(token).toMatch(/^gwp_/);
    expect((await register(token)).status).toBeLessThan(300);
    await page.getByRole("heading", { name: /builders \(builders, space team\)/ }).waitFor();
    await expectA11yClean(page, "worker-pools-admin");
    await once.getByRole("button", { name: "Done" }).click();
    await page.reload();
    expect(await page.content()).not.toContain(token);

    await page.getByRole("button", { name: "Reset token of builders" }).click();
    const fresh = (await page.getByRole("status").filter({ hasText: "Token of pool builders" }).locator("code").last().textContent())!;
    expect(fresh).not.toBe(token);
    expect((await register(token)).status).toBe(401);
    expect((await register(fresh)).status).toBeLessThan(300);

    // A pool a stack uses is not deleted: the server says which stack.
    await t.admin.call("createStack", { body: { id: "uses-pool", name: "uses pool", spaceId: "team", repository: "/srv/x.git", workerPoolId: "builders" } });
    await page.getByRole("button", { name: "Delete builders" }).click();
    await page.getByRole("alert").filter({ hasText: "uses-pool" }).waitFor();
    await t.admin.call("deleteStack", { params: { id: "uses-pool" } });
    await page.getByRole("button", { name: "Delete builders" }).click();
    await page.getByRole("heading", { name: /builders \(builders/ }).waitFor({ state: "detached" });
    expect((await failure(t.admin.call("getWorkerPool", { params: { id: "builders" } }))).status).toBe(404);
  });

  it("gives a writer no create, reset or delete buttons, and the API refuses the writer", async () => {
    const { t, given: { writerKey } } = web;
    await t.admin.call("createWorkerPool", { body: { id: "kept", name: "kept", spaceId: "team" } });
    const p = await web.pageAs({ apiKey: writerKey });
    await p.goto(`${t.url}/worker-pools`);
    await p.getByRole("heading", { name: /kept \(kept, space team\)/ }).waitFor();
    expect(await p.getByRole("button", { name: /Create worker pool|Reset token|Delete/ }).count()).toBe(0);
    expect((await failure(t.client(writerKey).call("resetWorkerPoolToken", { params: { id: "kept" } }))).status).toBe(403);
    expect((await failure(t.client(writerKey).call("createWorkerPool", { body: { name: "sneaky", spaceId: "team" } }))).status).toBe(403);
    await p.context().close();
  });

  it("refuses a taken id at the id field, and a name whose id is taken at the name field, creating nothing", async () => {
    const { t, page } = web;
    await t.admin.call("createWorkerPool", { body: { id: "runners", name: "runners", spaceId: "team" } });
    await page.goto(`${t.url}/worker-pools`);
    const form = page.getByRole("form", { name: "new worker pool" });
    await form.getByLabel("Name").fill("other runners");
    await form.getByLabel("Id (optional)").fill("runners");
    await form.getByRole("button", { name: "Create worker pool" }).click();
    expect(await fieldProblem(form, "Id (optional)")).toBe('worker pool "runners" already exists: pick another id');
    await form.getByLabel("Name").fill("Runners");
    await form.getByLabel("Id (optional)").fill("");
    await form.getByRole("button", { name: "Create worker pool" }).click();
    await form.getByText("is taken by another worker pool").waitFor();
    expect(await fieldProblem(form, "Name")).toBe('the id made from it, "runners", is taken by another worker pool: pick another name or set an id');
    expect(await t.admin.call("getWorkerPool", { params: { id: "runners" } })).toMatchObject({ name: "runners" });
    await expectA11yClean(page);
  });
});
