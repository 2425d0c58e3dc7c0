/**
 * `gantry provider ...` and `gantry registry-token ...` as people run them, against a real server:
 * namespaces (create, list, show, delete), GPG keys (add, delete), the provider list, yanking,
 * deleting a version and a provider, and the registry tokens `terraform login` makes (list,
 * revoke: the token is refused by the registry from then on). Publishing with real terraform
 * installing is in test/e2e/provider-registry.test.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { zipSync } from "fflate";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

let t: TestServer;
let asAdmin: CliOptions;
let key: { publicKey: string; privateKey: string; keyId: string };
const gantry = (args: string[]) => runCli(args, asAdmin);
const json = async <T>(args: string[]): Promise<T> => {
  const r = await gantry([...args, "-o", "json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

/** An HTTPS request to the server's registry port, trusting its local CA (as terraform does). */
function https(method: string, path: string, opts: { form?: Record<string, string>; token?: string } = {}): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.form) headers["content-type"] = "application/x-www-form-urlencoded";
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const req = request(new URL(path, t.server.httpsUrl!), { method, ca: t.server.registry.caCertificatePem!, headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on("error", reject);
    req.end(opts.form ? new URLSearchParams(opts.form).toString() : undefined);
  });
}

/** A registry token as `terraform login` gets it: login.v1's authorization code with PKCE, approved with an API key. */
async function terraformLoginToken(): Promise<string> {
  const verifier = randomBytes(32).toString("base64url");
  const params = { response_type: "code", client_id: "terraform-cli", redirect_uri: "http://localhost:10000/login", state: "s", code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" };
  const approved = await https("POST", "/oauth/authorization", { form: { ...params, api_key: t.adminKey } });
  const code = new URL(approved.location!).searchParams.get("code")!;
  const token = await https("POST", "/oauth/token", { form: { grant_type: "authorization_code", client_id: "terraform-cli", redirect_uri: params.redirect_uri, code, code_verifier: verifier } });
  return (JSON.parse(token.body) as { access_token: string }).access_token;
}

/** A signed one-platform release of acme/demo `version`, published through the API. */
async function publish(version: string): Promise<void> {
  const filename = `terraform-provider-demo_${version}_linux_amd64.zip`;
  const zip = zipSync({ [`terraform-provider-demo_v${version}`]: [new TextEncoder().encode("#!/bin/sh\nexit 1\n"), { os: 3, attrs: (0o100755 << 16) >>> 0 }] });
  const shasums = `${createHash("sha256").update(zip).digest("hex")}  ${filename}\n`;
  const sig = (await openpgp.sign({ message: await openpgp.createMessage({ binary: Buffer.from(shasums) }), signingKeys: await openpgp.readPrivateKey({ armoredKey: key.privateKey }), detached: true, format: "binary" })) as Uint8Array;
  await t.admin.call("publishProviderVersion", { params: { id: "acme", type: "demo" }, body: { version, protocols: ["5.0"], shasums, shasumsSignature: Buffer.from(sig).toString("base64"), archives: [{ filename, contentBase64: Buffer.from(zip).toString("base64") }] } });
}

beforeAll(async () => {
  t = await startTestServer({ httpsPort: 0, shippedProvidersDir: "/nonexistent" });
  asAdmin = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "xdg") }, cwd: t.scratch };
  const generated = await openpgp.generateKey({ type: "ecc", curve: "curve25519Legacy", userIDs: [{ name: "acme" }], format: "armored" });
  key = { ...generated, keyId: (await openpgp.readKey({ armoredKey: generated.publicKey })).getKeyID().toHex().toUpperCase() };
  writeFileSync(join(t.scratch, "acme.asc"), key.publicKey);
  await t.admin.call("createSpace", { body: { id: "platform", name: "platform" } });
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe("gantry provider namespace and key", () => {
  it("creates, lists and shows a namespace; adds and removes a key", async () => {
    const created = await gantry(["provider", "namespace", "create", "acme", "--space", "platform", "--share-with", "root"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/namespace:\s+acme\n/);
    expect(created.stdout).toMatch(/shared with:\s+root\n/);
    expect((await json<{ id: string }[]>(["provider", "namespace", "list"])).map((n) => n.id)).toEqual(["acme"]);

    const added = await gantry(["provider", "key", "add", "acme", "--file", join(t.scratch, "acme.asc")]);
    expect(added.stdout.trim()).toBe(`key ${key.keyId} registered for acme`);
    expect((await json<{ keys: { keyId: string }[] }>(["provider", "namespace", "show", "acme"])).keys.map((k) => k.keyId)).toEqual([key.keyId]);
    const again = await gantry(["provider", "key", "add", "acme", "--file", join(t.scratch, "acme.asc")]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`key ${key.keyId} is already registered for provider namespace acme`);
    const missing = await gantry(["provider", "key", "add", "acme", "--file", join(t.scratch, "nope.asc")]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("does not exist or is not a file");

    const removed = await gantry(["provider", "key", "delete", "acme", key.keyId]);
    expect(removed.stdout.trim()).toBe(`key ${key.keyId} removed from acme`);
    expect((await json<{ keys: unknown[] }>(["provider", "namespace", "show", "acme"])).keys).toEqual([]);
    expect((await gantry(["provider", "key", "add", "acme", "--file", join(t.scratch, "acme.asc")])).code).toBe(0);
  });
});

describe("gantry provider list, yank, delete", () => {
  it("lists providers with their latest version; yank and unyank move it", async () => {
    await publish("1.0.0");
    await publish("1.1.0");
    const table = await gantry(["provider", "list"]);
    expect(table.stdout).toMatch(new RegExp(`acme/demo\\s+1\\.1\\.0\\s+2\\s+platform\\s+${t.server.registry.host.replace(/\./g, "\\.")}/acme/demo`));
    const yank = await gantry(["provider", "yank", "acme/demo", "1.1.0"]);
    expect(yank.stdout).toContain("version 1.1.0 of provider acme/demo yanked");
    expect(await json<{ latestVersion: string }[]>(["provider", "list"])).toMatchObject([{ namespace: "acme", type: "demo", latestVersion: "1.0.0", versions: 2 }]);
    expect((await gantry(["provider", "versions", "acme/demo"])).stdout).toMatch(/1\.1\.0 .*yes/);
    const unyank = await json<{ version: { yanked: boolean } }>(["provider", "unyank", "acme/demo", "1.1.0"]);
    expect(unyank.version.yanked).toBe(false);
    expect(await json<{ latestVersion: string }[]>(["provider", "list"])).toMatchObject([{ latestVersion: "1.1.0" }]);
    const bad = await gantry(["provider", "yank", "acme", "1.1.0"]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("is not <namespace>/<type>")]);
  });

  it("deletes a version, then the provider; then the empty namespace", async () => {
    const version = await gantry(["provider", "delete", "acme/demo", "1.1.0"]);
    expect(version.stdout.trim()).toBe("version 1.1.0 of provider acme/demo deleted");
    expect((await json<{ version: string }[]>(["provider", "versions", "acme/demo"])).map((v) => v.version)).toEqual(["1.0.0"]);
    const busy = await gantry(["provider", "namespace", "delete", "acme"]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain("still holds provider demo");
    expect((await gantry(["provider", "delete", "acme/demo"])).stdout.trim()).toBe("provider acme/demo deleted");
    expect((await gantry(["provider", "list"])).stdout).toContain("no providers");
    expect((await gantry(["provider", "namespace", "delete", "acme"])).stdout.trim()).toBe("provider namespace acme deleted");
    expect((await gantry(["provider", "namespace", "list"])).stdout).toContain("no provider namespaces");
  });
});

describe("gantry registry-token", () => {
  it("lists the tokens terraform login made and revokes one: the registry refuses it from then on", async () => {
    expect((await gantry(["registry-token", "list"])).stdout).toContain("no registry tokens");
    const token = await terraformLoginToken();
    expect((await https("GET", "/v1/providers/acme/none/versions", { token })).status).toBe(404);
    const listed = await json<{ id: string; description: string }[]>(["registry-token", "list"]);
    expect(listed).toHaveLength(1);
    expect(token).toContain(listed[0]!.id);
    const revoked = await gantry(["registry-token", "revoke", listed[0]!.id]);
    expect(revoked.stdout.trim()).toBe(`registry token ${listed[0]!.id} revoked`);
    expect((await https("GET", "/v1/providers/acme/none/versions", { token })).status).toBe(401);
    expect((await gantry(["registry-token", "list"])).stdout).toContain("no registry tokens");
    const unknown = await gantry(["registry-token", "revoke", listed[0]!.id]);
    expect(unknown.code).toBe(1);
  });
});
