/**
 * The provider registry and registry token pages in Debian's headless chromium against a real
 * server: namespaces, GPG keys (the server's refusals at their field), versions published through
 * the API (publishing from the page is in provider-publish.e2e.test.ts), deletion, registry tokens shown once,
 * and no buttons for a reader (the API refusing as well).
 */
import { describe, expect, it } from "vitest";
import { authorKey, publishBody } from "../../server/test/provider-fixtures.js";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

describe("web UI: provider registry and registry tokens", () => {
  const web = webSession({
    given: async (t) => {
      await t.admin.call("createSpace", { body: { id: "team", name: "team", inheritEntities: true } });
      const writerKey = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
      const readerKey = (await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }])).key;
      return { writerKey, readerKey, key: await authorKey("acme-release") };
    },
    logInAs: (_t, given) => ({ apiKey: given.writerKey }),
    // The pages ask before deleting.
    acceptDialogs: true,
  });

  it("registers a namespace and its GPG key, lists published versions, yanks and unyanks one and deletes one", async () => {
    const { t, page, given: { writerKey, key } } = web;
    await page.goto(`${t.url}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers" }).click();
    await page.waitForURL(`${t.url}/providers`);
    await page.getByText("Versions are published from the files a release build wrote").first().waitFor();
    const form = page.getByRole("form", { name: "new provider namespace" });
    await expect.poll(() => form.getByLabel("Space").locator("option").allTextContents()).toEqual(["team"]);
    await form.getByLabel("Namespace").fill("Acme_Corp");
    await form.getByRole("button", { name: "Create namespace" }).click();
    expect(await fieldProblem(page, "Namespace")).toContain("must be a provider namespace");
    await form.getByLabel("Namespace").fill("acme");
    await form.getByRole("button", { name: "Create namespace" }).click();
    await page.waitForURL(`${t.url}/provider-namespaces/acme`);
    await page.getByText("No keys: nothing can be published here").waitFor();
    await page.getByLabel("Public key (ASCII-armored)").fill("not a key");
    await page.getByRole("button", { name: "Add key" }).click();
    expect(await fieldProblem(page, "Public key (ASCII-armored)")).not.toBe("");
    await page.getByLabel("Public key (ASCII-armored)").fill(key.publicKey);
    await page.getByRole("button", { name: "Add key" }).click();
    await page.getByRole("row", { name: new RegExp(key.keyId) }).waitFor();
    expect((await t.admin.call("getProviderNamespace", { params: { id: "acme" } })).keys.map((k) => k.keyId)).toEqual([key.keyId]);

    // Published through the API here (the publish form has its own test); the pages show the result.
    await t.client(writerKey).call("publishProviderVersion", { params: { id: "acme", type: "widgets" }, body: await publishBody(key, "widgets", "1.0.0") });
    await t.client(writerKey).call("publishProviderVersion", { params: { id: "acme", type: "widgets" }, body: await publishBody(key, "widgets", "1.1.0", ["linux_amd64", "darwin_arm64"]) });
    await page.goto(`${t.url}/providers`);
    const row = page.getByRole("row", { name: /acme\/widgets/ });
    await expect.poll(() => row.textContent()).toContain("1.1.0");
    await expectA11yClean(page, "providers");
    await row.getByRole("link", { name: "acme/widgets" }).click();
    await page.waitForURL(`${t.url}/providers/acme/widgets`);
    await page.getByRole("row", { name: /^1\.1\.0/ }).getByText("darwin/arm64").waitFor();
    await expectA11yClean(page, "provider-versions");
    const versionOf = async (v: string) => (await t.admin.call("listProviderVersions", { params: { id: "acme", type: "widgets" } })).items.find((x) => x.version === v);
    await page.getByRole("button", { name: "Yank 1.1.0" }).click();
    await page.getByRole("button", { name: "Unyank 1.1.0" }).waitFor();
    await page.getByRole("row", { name: /^1\.1\.0/ }).getByText("yanked").waitFor();
    expect((await versionOf("1.1.0"))?.yanked).toBe(true);
    await page.getByRole("button", { name: "Unyank 1.1.0" }).click();
    await page.getByRole("button", { name: "Yank 1.1.0" }).waitFor();
    expect((await versionOf("1.1.0"))?.yanked).toBe(false);
    await page.getByRole("button", { name: "Delete 1.0.0" }).click();
    await page.getByRole("row", { name: /^1\.0\.0/ }).waitFor({ state: "detached" });
    expect((await t.admin.call("listProviderVersions", { params: { id: "acme", type: "widgets" } })).items.map((v) => v.version)).toEqual(["1.1.0"]);

    // The server's refusals show: a key that signed a published version stays, a namespace with providers stays.
    await page.goto(`${t.url}/provider-namespaces/acme`);
    await page.getByRole("button", { name: `Remove key ${key.keyId}` }).click();
    await page.getByRole("alert").filter({ hasText: "delete the versions it signed first" }).waitFor();
    await page.getByRole("button", { name: "Delete namespace" }).click();
    await page.getByRole("alert").filter({ hasText: "still holds provider widgets" }).waitFor();
    expect((await t.admin.call("getProviderNamespace", { params: { id: "acme" } })).keys).toHaveLength(1);
    await expectA11yClean(page, "provider-namespace");
  });

  it("makes a registry token shown once, then revokes it", async () => {
    const { t, page, given: { writerKey } } = web;
    await page.goto(`${t.url}/api-keys`);
    await page.getByRole("link", { name: "registry token" }).click();
    await page.waitForURL(`${t.url}/registry-tokens`);
    await page.getByText("No registry tokens.").waitFor();
    await page.getByRole("button", { name: "Create registry token" }).click();
    expect(await fieldProblem(page, "What it is for")).toContain("must say what the token is for");
    await page.getByLabel("What it is for").fill("CI terraform");
    await page.getByRole("button", { name: "Create registry token" }).click();
    const secret = (await page.getByRole("status").filter({ hasText: "not shown again" }).locator("code").first().textContent())!;
    expect(secret).toMatch(/^grt_[0-9A-Za-z]+_/);
    await page.getByRole("row", { name: /CI terraform/ }).waitFor();
    await expectA11yClean(page, "registry-tokens");
    // Shown once: a reload has it no more.
    await page.reload();
    await page.getByRole("row", { name: /CI terraform/ }).waitFor();
    expect(await page.content()).not.toContain(secret.slice(-20));
    const mine = await t.client(writerKey).call("listRegistryTokens", {});
    expect(mine.items.map((i) => i.description)).toEqual(["CI terraform"]);
    await page.getByRole("button", { name: "Revoke CI terraform" }).click();
    await page.getByText("No registry tokens.").waitFor();
    expect((await t.client(writerKey).call("listRegistryTokens", {})).items).toEqual([]);
  });

  it("gives a reader no namespace, key or delete buttons, and the API refuses the reader", async () => {
    const { t, given: { readerKey, key } } = web;
    const p = await web.pageAs({ apiKey: readerKey });
    await p.goto(`${t.url}/providers`);
    await p.getByRole("link", { name: "acme/widgets" }).waitFor();
    expect(await p.getByRole("button", { name: "Create namespace" }).count()).toBe(0);
    await p.goto(`${t.url}/provider-namespaces/acme`);
    await p.getByText("Adding keys needs the write role in space team").waitFor();
    expect(await p.getByRole("button", { name: /Add key|Remove key|Delete/ }).count()).toBe(0);
    await p.goto(`${t.url}/providers/acme/widgets`);
    await p.getByRole("row", { name: /^1\.1\.0/ }).waitFor();
    expect(await p.getByRole("button", { name: /Delete|Yank/ }).count()).toBe(0);
    expect((await failure(t.client(readerKey).call("updateProviderVersion", { params: { id: "acme", type: "widgets", version: "1.1.0" }, body: { yanked: true } }))).status).toBe(403);
    expect((await failure(t.client(readerKey).call("addProviderGpgKey", { params: { id: "acme" }, body: { asciiArmor: key.publicKey } }))).status).toBe(403);
    expect((await failure(t.client(readerKey).call("deleteProviderVersion", { params: { id: "acme", type: "widgets", version: "1.1.0" } }))).status).toBe(403);
    await p.context().close();
  });
});
