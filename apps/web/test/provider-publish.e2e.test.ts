/**
 * Publishing a provider version from the web UI, in Debian's headless chromium against a real
 * server: the release directory's files picked in one file input (zips, SHA256SUMS and its
 * signature, as a provider author's release build writes them), the server's refusal of a
 * tampered zip shown at the files field with nothing stored, a first version creating the
 * provider, and a version published on the provider's page with two platforms.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { authorKey, providerBuild, shasumsOf, sign, type AuthorKey } from "../../server/test/provider-fixtures.js";
import { failure, userWithRole } from "../../server/test/harness.js";
import { expectA11yClean, fieldProblem, webSession } from "./browser.js";

/** Writes a release directory for `<type>` `<version>` and answers its files' paths. */
async function releaseDir(root: string, key: AuthorKey, type: string, version: string, platforms: string[], tamper = false): Promise<string[]> {
  const dir = mkdtempSync(join(root, `${type}-${version}-`));
  const archives = platforms.map((p) => ({ filename: `terraform-provider-${type}_${version}_${p}.zip`, content: providerBuild(type, version) }));
  const sums = shasumsOf(archives);
  const sumsName = `terraform-provider-${type}_${version}_SHA256SUMS`;
  writeFileSync(join(dir, sumsName), sums);
  writeFileSync(join(dir, `${sumsName}.sig`), Buffer.from(await sign(key, sums), "base64"));
  for (const a of archives) writeFileSync(join(dir, a.filename), tamper ? providerBuild(type, version, "#!/bin/sh\nexit 2\n") : a.content);
  return [sumsName, `${sumsName}.sig`, ...archives.map((a) => a.filename)].map((n) => join(dir, n));
}

describe("web UI: publishing a provider version", () => {
  /** The release directories' parent, made by `given`, removed after the file. */
  let releasesRoot: string | undefined;
  const web = webSession({
    given: async (t) => {
      releasesRoot = mkdtempSync(join(tmpdir(), "gantry-provider-release-"));
      await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
      const writer = await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }]);
      const key = await authorKey("acme-release");
      await t.admin.call("createProviderNamespace", { body: { id: "acme", spaceId: "team" } });
      await t.admin.call("addProviderGpgKey", { params: { id: "acme" }, body: { asciiArmor: key.publicKey } });
      return { writerKey: writer.key, key, files: releasesRoot };
    },
    logInAs: (_t, given) => ({ apiKey: given.writerKey }),
  });

  afterAll(() => {
    if (releasesRoot) rmSync(releasesRoot, { recursive: true, force: true });
  });

  it("refuses a zip that does not match SHA256SUMS at the files field, then publishes a first version that creates the provider", async () => {
    const { t, page, given: { key, files } } = web;
    await page.goto(`${t.url}/provider-namespaces/acme`);
    const form = page.getByRole("form", { name: "publish provider version" });
    // No type: refused before the request, at its field.
    await form.getByLabel("Release files").setInputFiles(await releaseDir(files, key, "widgets", "1.0.0", ["linux_amd64"], true));
    await form.getByRole("button", { name: "Publish version" }).click();
    expect(await fieldProblem(form, "Provider type")).toContain("enter the provider type");

    await form.getByLabel("Provider type").fill("widgets");
    await form.getByLabel("Release files").setInputFiles(await releaseDir(files, key, "widgets", "1.0.0", ["linux_amd64"], true));
    await expect.poll(() => form.getByLabel("Version").inputValue()).toBe("1.0.0");
    await form.getByText("1 zip; SHA256SUMS terraform-provider-widgets_1.0.0_SHA256SUMS; signature terraform-provider-widgets_1.0.0_SHA256SUMS.sig").waitFor();
    await form.getByRole("button", { name: "Publish version" }).click();
    const problem = await fieldProblem(form, "Release files");
    expect(problem).toMatch(/^archives/);
    expect(problem).toContain("SHA256SUMS");
    expect((await failure(t.admin.call("listProviderVersions", { params: { id: "acme", type: "widgets" } }))).status).toBe(404);

    await form.getByLabel("Release files").setInputFiles(await releaseDir(files, key, "widgets", "1.0.0", ["linux_amd64"]));
    await form.getByRole("button", { name: "Publish version" }).click();
    await page.waitForURL(`${t.url}/providers/acme/widgets`);
    await page.getByRole("row", { name: /1\.0\.0/ }).waitFor();
    const stored = await t.admin.call("listProviderVersions", { params: { id: "acme", type: "widgets" } });
    expect(stored.items.map((v) => [v.version, v.keyId, v.protocols, v.platforms.map((p) => `${p.os}_${p.arch}`)])).toEqual([["1.0.0", key.keyId, ["5.0"], ["linux_amd64"]]]);
  });

  it("publishes a further version with two platforms and protocol 6.0 on the provider's page", async () => {
    const { t, page, given: { key, files } } = web;
    await page.goto(`${t.url}/providers/acme/widgets`);
    const form = page.getByRole("form", { name: "publish provider version" });
    await form.getByLabel("Release files").setInputFiles(await releaseDir(files, key, "widgets", "1.1.0", ["linux_amd64", "darwin_arm64"]));
    await form.getByLabel("6.0").check();
    await form.getByLabel("5.0").uncheck();
    await expectA11yClean(page, "provider-publish");
    await form.getByRole("button", { name: "Publish version" }).click();
    await form.getByRole("status").filter({ hasText: "Published acme/widgets 1.1.0" }).waitFor();
    await page.getByRole("row", { name: /1\.1\.0/ }).waitFor();
    const v = (await t.admin.call("listProviderVersions", { params: { id: "acme", type: "widgets" } })).items.find((x) => x.version === "1.1.0")!;
    expect([v.protocols, v.platforms.map((p) => `${p.os}_${p.arch}`).sort()]).toEqual([["6.0"], ["darwin_arm64", "linux_amd64"]]);
  });
});
