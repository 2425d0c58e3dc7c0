/**
 * The provider registry through the API and terraform's own protocols, on both dialects:
 * namespaces with GPG keys, publishing (each zip checked against SHA256SUMS, SHA256SUMS against
 * its signature and the namespace's keys), the shipped providers published at start-up, and the
 * real terraform installing from providers.v1 and from the network mirror.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShippedMirror } from "../../worker/test/shipped-providers.js";
import { dialects, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { authorKey, providerBuild, publishBody, sign, type AuthorKey } from "./provider-fixtures.js";
import { registryGet } from "./registry-client.js";

const execFileAsync = promisify(execFile);

/** Runs `terraform init` in a fresh directory with a CLI config (asynchronously: the registry answering it runs in this process). */
async function terraformInit(base: string, ca: string, cliConfig: string, main: string): Promise<{ ok: boolean; output: string; lock: string }> {
  const dir = mkdtempSync(join(base, "init-"));
  mkdirSync(join(dir, "ca"));
  writeFileSync(join(dir, "ca", "ca.pem"), ca);
  writeFileSync(join(dir, "terraformrc"), cliConfig);
  writeFileSync(join(dir, "main.tf"), main);
  const env = { PATH: process.env.PATH, HOME: dir, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0", TF_CLI_CONFIG_FILE: join(dir, "terraformrc"), SSL_CERT_DIR: `/etc/ssl/certs:${join(dir, "ca")}` };
  try {
    const { stdout } = await execFileAsync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
    return { ok: true, output: stdout, lock: readFileSync(join(dir, ".terraform.lock.hcl"), "utf8") };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}`, lock: "" };
  }
}

describe.each(dialects)("provider registry (%s)", (dialect) => {
  let t: TestServer;
  let ca: string;
  let https: string;
  let host: string;
  let key: AuthorKey;
  let work: string;

  beforeAll(async () => {
    const shipped = await buildShippedMirror();
    t = await startTestServer(dialect, { settings: { httpsPort: 0, shippedProvidersDir: shipped } });
    ca = t.server.registry.caCertificatePem!;
    https = t.server.httpsUrl!;
    host = t.server.registry.host;
    key = await authorKey("acme");
    work = mkdtempSync(join(tmpdir(), "gantry-provider-registry-"));
    await t.admin.call("createSpace", { body: { id: "platform", name: "platform" } });
    await t.admin.call("createSpace", { body: { id: "payments", name: "payments", inheritEntities: false } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("publishes the shipped providers at start-up, signed with Gantry's key, readable by everyone", async () => {
    const providers = (await t.admin.call("listProviders", {})).items;
    expect(providers.map((p) => `${p.namespace}/${p.type} ${p.latestVersion}`)).toEqual(["gantry/gantry 0.1.0", "sim/aws 0.1.0"]);
    const sim = await t.admin.call("getProviderNamespace", { params: { id: "sim" } });
    expect(sim).toMatchObject({ shipped: true, spaceId: "root" });
    expect(sim.keys).toHaveLength(1);
    const versions = (await t.admin.call("listProviderVersions", { params: { id: "sim", type: "aws" } })).items;
    expect(versions[0]).toMatchObject({ version: "0.1.0", protocols: ["6.0"], keyId: sim.keys[0]!.keyId, platforms: [{ os: "linux", arch: "amd64", filename: "terraform-provider-aws_0.1.0_linux_amd64.zip" }] });
    // Anyone authenticated reads shipped namespaces; nobody changes them by hand.
    const nobody = await userWithRole(t, "nobody", []);
    expect((await t.client(nobody.key).call("listProviders", {})).items).toHaveLength(2);
    const refused = await failure(t.admin.call("addProviderGpgKey", { params: { id: "sim" }, body: { asciiArmor: key.publicKey } }));
    expect(refused.status).toBe(403);
    expect(refused.message).toContain("Gantry ships");
  });

  it("registers a namespace with a GPG key, refusing a private key and garbage", async () => {
    const ns = await t.admin.call("createProviderNamespace", { body: { id: "acme", spaceId: "platform" } });
    expect(ns).toMatchObject({ id: "acme", spaceId: "platform", shipped: false, keys: [] });
    const priv = await failure(t.admin.call("addProviderGpgKey", { params: { id: "acme" }, body: { asciiArmor: key.privateKey } }));
    expect(priv.status).toBe(422);
    expect(priv.message).toContain("is a private key");
    const junk = await failure(t.admin.call("addProviderGpgKey", { params: { id: "acme" }, body: { asciiArmor: "not a key" } }));
    expect(junk.message).toContain("gpg --armor --export");
    const added = await t.admin.call("addProviderGpgKey", { params: { id: "acme" }, body: { asciiArmor: key.publicKey } });
    expect(added.keyId).toBe(key.keyId);
    const audit = await t.admin.call("listAuditEvents", { query: { limit: 20 } });
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(["provider_namespace.create", "provider_namespace.key.add"]));
    expect(JSON.stringify(audit.items)).not.toContain("PRIVATE KEY");
  });

  it("refuses a zip that does not match SHA256SUMS, naming the file, and stores nothing", async () => {
    const body = await publishBody(key, "demo", "1.0.0");
    const tampered = { ...body, archives: [{ ...body.archives[0]!, contentBase64: Buffer.from(providerBuild("demo", "1.0.0", "#!/bin/sh\necho changed\n")).toString("base64") }] };
    const e = await failure(t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body: tampered }));
    expect(e.status).toBe(422);
    expect(e.message).toContain("terraform-provider-demo_1.0.0_linux_amd64.zip does not match its checksum");
    expect(e.message).toContain("sha256sum");
    expect(await failure(t.admin.call("listProviderVersions", { params: { id: "acme", type: "demo" } }))).toMatchObject({ status: 404 });
  });

  it("refuses a signature by a key the namespace does not have, and one over other bytes", async () => {
    const stranger = await authorKey("stranger");
    const body = await publishBody(stranger, "demo", "1.0.0");
    const e = await failure(t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body }));
    expect(e.status).toBe(422);
    expect(e.message).toContain(`SHA256SUMS (SHA256SUMS.sig) was made by key ${stranger.keyId}, which is not registered for the namespace`);
    expect(e.message).toContain("gantry provider key add acme");
    const good = await publishBody(key, "demo", "1.0.0");
    const otherBytes = { ...good, shasumsSignature: await sign(key, good.shasums + "\n") };
    expect((await failure(t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body: otherBytes }))).message).toContain("does not match the file's content");
    const misnamed = { ...good, archives: [{ ...good.archives[0]!, filename: "demo.zip" }] };
    expect((await failure(t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body: misnamed }))).message).toContain("demo.zip is not named terraform-provider-demo_1.0.0_<os>_<arch>.zip");
  });

  it("publishes a verified version once; the same again is already published, other builds are refused", async () => {
    const body = await publishBody(key, "demo", "1.0.0", ["linux_amd64", "darwin_arm64"]);
    const r = await t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body });
    expect(r.alreadyPublished).toBe(false);
    expect(r.version.platforms.map((p) => `${p.os}_${p.arch}`)).toEqual(["darwin_arm64", "linux_amd64"]);
    expect(r.version.platforms[1]!.h1).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
    expect((await t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body })).alreadyPublished).toBe(true);
    const other = await publishBody(key, "demo", "1.0.0", ["linux_arm64"]);
    expect((await failure(t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body: other }))).status).toBe(409);
    await t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body: await publishBody(key, "demo", "1.1.0") });
  });

  it("answers providers.v1 and the mirror protocol only to callers who can read the namespace", async () => {
    const discovery = (await registryGet(https, ca, "/.well-known/terraform.json")).json();
    expect(discovery).toMatchObject({ "providers.v1": "/v1/providers/" });
    const versions = await registryGet(https, ca, "/v1/providers/acme/demo/versions", t.adminKey);
    expect(versions.json()).toMatchObject({ versions: [{ version: "1.1.0", protocols: ["5.0"] }, { version: "1.0.0", platforms: [{ os: "darwin", arch: "arm64" }, { os: "linux", arch: "amd64" }] }] });
    const download = (await registryGet(https, ca, "/v1/providers/acme/demo/1.0.0/download/linux/amd64", t.adminKey)).json() as Record<string, string> & { signing_keys: { gpg_public_keys: { key_id: string }[] } };
    expect(download.signing_keys.gpg_public_keys[0]!.key_id).toBe(key.keyId);
    const zip = await registryGet(https, ca, download.download_url!);
    expect(zip.status).toBe(200);
    expect((await registryGet(https, ca, download.shasums_url!)).body.toString()).toContain("terraform-provider-demo_1.0.0_linux_amd64.zip");
    expect((await registryGet(https, ca, download.download_url!.replace(/signature=[^&]+/, "signature=forged"))).status).toBe(403);
    // Someone without a role in platform: the same 404 as for a provider that does not exist.
    const outsider = await userWithRole(t, "outsider", [{ spaceId: "payments", role: "admin" }]);
    const hidden = await registryGet(https, ca, "/v1/providers/acme/demo/versions", outsider.key);
    const missing = await registryGet(https, ca, "/v1/providers/acme/nothing/versions", outsider.key);
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body.toString()).toBe(missing.body.toString().replace("acme/nothing", "acme/demo"));
    expect((await registryGet(https, ca, "/v1/providers/acme/demo/versions")).status).toBe(401);
    expect((await registryGet(https, ca, `/v1/mirror/${host}/acme/demo/index.json`, outsider.key)).status).toBe(404);
    expect((await registryGet(https, ca, "/v1/mirror/gantry.dev/sim/aws/index.json", outsider.key)).json()).toEqual({ versions: { "0.1.0": {} } });
  });

  it("installs with the real terraform from providers.v1 (signature checked) and from the network mirror (hashes checked)", async () => {
    const direct = await terraformInit(work, ca, `credentials ${JSON.stringify(host)} {\n  token = ${JSON.stringify(t.adminKey)}\n}\n`, `terraform {\n  required_providers {\n    demo = {\n      source  = "${host}/acme/demo"\n      version = "~> 1.0"\n    }\n  }\n}\n`);
    expect(direct.ok, direct.output).toBe(true);
    expect(direct.output).toContain(`Installed ${host}/acme/demo v1.1.0 (self-signed, key ID ${key.keyId})`);
    const mirror = await terraformInit(work, ca, `provider_installation {\n  network_mirror {\n    url     = "${https}/v1/mirror/"\n    include = ["gantry.dev/*/*"]\n  }\n}\ncredentials ${JSON.stringify(host)} {\n  token = ${JSON.stringify(t.adminKey)}\n}\n`, `terraform {\n  required_providers {\n    aws = { source = "gantry.dev/sim/aws" }\n    gantry = { source = "gantry.dev/gantry/gantry" }\n  }\n}\n`);
    expect(mirror.ok, mirror.output).toBe(true);
    expect(mirror.lock).toContain('provider "gantry.dev/sim/aws"');
    expect(mirror.lock).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
  }, 120_000);

  it("deletes a version, then the provider, then the empty namespace", async () => {
    await t.admin.call("deleteProviderVersion", { params: { id: "acme", type: "demo", version: "1.1.0" } });
    expect((await t.admin.call("listProviderVersions", { params: { id: "acme", type: "demo" } })).items.map((v) => v.version)).toEqual(["1.0.0"]);
    expect((await failure(t.admin.call("deleteProviderNamespace", { params: { id: "acme" } }))).status).toBe(409);
    expect((await failure(t.admin.call("deleteProviderGpgKey", { params: { id: "acme", keyId: key.keyId } }))).message).toContain("signed acme/demo 1.0.0");
    await t.admin.call("deleteProvider", { params: { id: "acme", type: "demo" } });
    await t.admin.call("deleteProviderNamespace", { params: { id: "acme" } });
    expect((await failure(t.admin.call("getProviderNamespace", { params: { id: "acme" } }))).status).toBe(404);
  });
});
