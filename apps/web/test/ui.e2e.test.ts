/**
 * The web UI as a person uses it, in Debian's headless chromium against a real server with a real
 * worker and terraform: logging in, finding a stack among many, a run's live log, a plan policy's
 * denial, an approval, write-only values, and what a reader may not do.
 */
import { describe, expect, it } from "vitest";
import { waitForRun, makeRepo } from "../../worker/test/fixtures.js";
import { screenshot, seriousA11yViolations, webSession } from "./browser.js";

const config = `
variable "greeting" {
  type    = string
  default = "hello"
}
resource "terraform_data" "app" {
  input = var.greeting
}
`;

const denyPlan = `package spacelift
import rego.v1
deny contains sprintf("%s may not be created in guarded stacks", [rc.address]) if {
  some rc in input.terraform.resource_changes
  "create" in rc.change.actions
}`;

/** A person approves a prod run before it starts (in QUEUED); after that it goes on by itself. */
const prodApproval = `package spacelift
import rego.v1
approve if input.run.state != "QUEUED"
approve if count(input.reviews.current.approvals) >= 1
reject if count(input.reviews.current.rejections) > 0`;

describe("web UI", () => {
  const web = webSession({
    worker: { concurrency: 2 },
    given: async (t) => {
      const repo = makeRepo({ "main.tf": config });
      for (let i = 1; i <= 120; i++) await t.admin.call("createStack", { body: { id: `svc-${String(i).padStart(3, "0")}`, name: `svc-${String(i).padStart(3, "0")}`, repository: repo.path } });
      await t.admin.call("createPolicy", { body: { id: "guard", name: "guard", type: "PLAN", body: denyPlan, labels: ["autoattach:guarded"] } });
      await t.admin.call("createPolicy", { body: { id: "prod-approval", name: "prod-approval", type: "APPROVAL", body: prodApproval, labels: ["autoattach:prod"] } });
      await t.admin.call("createStack", { body: { id: "web-app", name: "web-app", repository: repo.path, autodeploy: true, manageState: false } });
      await t.admin.call("putStackVariable", { params: { id: "web-app", name: "TF_VAR_greeting" }, body: { value: "hunter2-very-secret", writeOnly: true } });
      await t.admin.call("createStack", { body: { id: "guarded-app", name: "guarded-app", repository: repo.path, autodeploy: true, manageState: false, labels: ["guarded"] } });
      await t.admin.call("createStack", { body: { id: "prod-app", name: "prod-app", repository: repo.path, autodeploy: true, manageState: false, labels: ["prod"] } });
      const reader = await t.admin.call("createUser", { body: { username: "reader", password: "correct horse battery staple" } });
      await t.admin.call("createRoleBinding", { body: { spaceId: "root", role: "read", subjectType: "user", subjectId: reader.id } });
    },
    // The first test logs in through the page itself, after a wrong password.
    logInAs: null,
  });

  it("sends a visitor to the login page, refuses a wrong password, and logs in with an API key", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/`);
    await page.waitForURL(/\/login\?next=%2F$/);
    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("wrong username or password");
    await page.getByRole("button", { name: "Use an API key instead" }).click();
    await page.getByLabel("API key").fill(t.adminKey);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${t.url}/`);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByRole("heading", { name: /Stacks \(123\)/ }).waitFor();
    // The in-process worker of the built-in pool shows as idle.
    await expect.poll(() => page.getByRole("row", { name: /built-in/ }).textContent()).toMatch(/built-in0[12]0/);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "gantry_session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "overview");
  });

  it("finds a stack among many and shows write-only values as such", async () => {
    const { t, page } = web;
    await page.getByRole("link", { name: "Stacks", exact: true }).click();
    await page.getByRole("heading", { name: "Stacks" }).waitFor();
    await expect.poll(() => page.getByRole("status").last().textContent()).toContain("more below");
    await page.getByLabel("Search").fill("web-a");
    await page.getByRole("link", { name: "web-app" }).click();
    await page.waitForURL(`${t.url}/stacks/web-app`);
    const row = page.getByRole("row", { name: /TF_VAR_greeting/ });
    await expect.poll(() => row.textContent()).toContain("write-only");
    expect(await page.content()).not.toContain("hunter2-very-secret");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "stack");
  });

  it("triggers a run and shows its log arriving live, with the secret masked", async () => {
    const { page } = web;
    await page.getByRole("button", { name: "Trigger run" }).click();
    await page.waitForURL(/\/stacks\/web-app\/runs\/[0-9A-Z]+$/);
    const log = page.getByRole("log", { name: "run log" });
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain("Apply complete!");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 20_000 }).toContain("FINISHED");
    expect(await log.textContent()).not.toContain("hunter2-very-secret");
    // The plan diff: the write-only value flowed into an attribute, which shows as sensitive.
    const plan = page.getByRole("region", { name: "Plan" });
    await expect.poll(() => plan.textContent()).toContain("terraform_data.app");
    expect(await plan.getByRole("row", { name: /^input/ }).textContent()).toContain("(sensitive value)");
    expect(await page.content()).not.toContain("hunter2-very-secret");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "run");
  }, 120_000);

  it("shows a plan policy's denial on the run page", async () => {
    const { t, page } = web;
    const run = await t.admin.call("createRun", { params: { id: "guarded-app" }, body: { type: "TRACKED" } });
    await waitForRun(t.admin, run.id);
    await page.goto(`${t.url}/stacks/guarded-app/runs/${run.id}`);
    const receipt = page.getByRole("row", { name: /guard/ });
    await expect.poll(() => receipt.textContent()).toContain("terraform_data.app may not be created in guarded stacks");
    expect(await receipt.textContent()).toContain("deny");
    await screenshot(page, "run-denied");
  });

  it("says why a prod run waits, and a person's approval releases it", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/prod-app`);
    await page.getByRole("button", { name: "Trigger run" }).click();
    await page.waitForURL(/\/stacks\/prod-app\/runs\//);
    await expect.poll(() => page.getByText("Waiting:").locator("..").textContent()).toContain("prod-approval");
    await screenshot(page, "run-waiting");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 60_000 }).toContain("FINISHED");
  }, 120_000);

  it("answers a missing stack with a not-found page", async () => {
    const { t, page } = web;
    await page.goto(`${t.url}/stacks/no-such-stack`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    expect(await page.textContent("body")).toContain("no-such-stack");
  });

  it("refuses a change made with the cookie but without the CSRF header", async () => {
    const { page } = web;
    const status = await page.evaluate(async () => (await fetch("/api/v1/stacks/web-app/runs", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status);
    expect(status).toBe(403);
  });

  it("shows a reader no buttons, and refuses the change if forced", async () => {
    const { t } = web;
    const p = await web.pageAs({ username: "reader", password: "correct horse battery staple" });
    await p.goto(`${t.url}/stacks/web-app`);
    await p.getByText("You can read this stack").waitFor();
    expect(await p.getByRole("button", { name: "Trigger run" }).count()).toBe(0);
    const forced = await p.evaluate(async () => {
      const csrf = (globalThis as unknown as { document: { cookie: string } }).document.cookie.split("; ").find((c) => c.startsWith("gantry_csrf="))!.slice("gantry_csrf=".length);
      const res = await fetch("/api/v1/stacks/web-app/runs", { method: "POST", headers: { "content-type": "application/json", "x-gantry-csrf": csrf }, body: "{}" });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    });
    expect(forced).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    await p.context().close();
  });

  it("sends a person whose session ended to the login page and back to where they were", async () => {
    const { t, page } = web;
    // Leave the app first: the old page's next poll would answer 401 and
    // redirect on its own, racing the navigation below.
    await page.goto("about:blank");
    await page.context().clearCookies();
    // The app redirects to the login page as soon as its first call answers
    // 401, which can be before the page's load event: wait only for the
    // navigation to commit, then for the redirect.
    await page.goto(`${t.url}/stacks/web-app`, { waitUntil: "commit" });
    await page.waitForURL(/\/login\?next=%2Fstacks%2Fweb-app$/);
    await page.getByRole("button", { name: "Use an API key instead" }).click();
    await page.getByLabel("API key").fill(t.adminKey);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${t.url}/stacks/web-app`);
    await page.getByRole("heading", { name: /web-app/ }).waitFor();
  });

  it("serves hashed assets for a year and the page itself uncached", async () => {
    const { t } = web;
    const index = await fetch(`${t.url}/stacks/web-app`, { headers: { accept: "text/html" } });
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${t.url}${asset}`);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // Sent compressed to a browser that accepts it: what "JS shipped" measures.
    const gz = await import("node:http").then((http) => new Promise<{ encoding?: string; bytes: number }>((resolve, reject) => {
      http.get(`${t.url}${asset}`, { headers: { "accept-encoding": "gzip" } }, (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => { bytes += c.length; });
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"], bytes }));
      }).on("error", reject);
    }));
    expect(gz.encoding).toBe("gzip");
    expect(gz.bytes).toBeLessThan(250 * 1024);
    // API clients asking for an unknown path still get the JSON error envelope, not the page.
    const api = await fetch(`${t.url}/api/v1/nope`, { headers: { accept: "application/json" } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
