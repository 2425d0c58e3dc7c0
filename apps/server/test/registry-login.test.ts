/**
 * `terraform login` (login.v1) against Gantry with the real terraform, on both dialects: the
 * browser terraform opens is a script (`xdg-open` on PATH) that approves on Gantry's page with
 * an API key, as a person would; terraform exchanges the code (PKCE) for a registry token that
 * reads only the registry, is stored hashed, and is revocable. The protocol's refusals are
 * driven by hand as terraform sends them.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { registryGet } from "./registry-client.js";

/** The "browser": fetches the approval page, then submits it with an API key and follows the redirect to terraform. */
const browser = `const https = require("node:https");
const http = require("node:http");
const fs = require("node:fs");
const ca = fs.readFileSync(process.env.GANTRY_TEST_CA, "utf8");
const url = new URL(process.argv[2]);
const form = new URLSearchParams(url.searchParams);
form.set("api_key", process.env.GANTRY_TEST_API_KEY);
https.get(url, { ca }, (page) => {
  page.resume();
  page.on("end", () => {
    const req = https.request(url.origin + url.pathname, { method: "POST", ca, headers: { "content-type": "application/x-www-form-urlencoded" } }, (res) => {
      res.resume();
      // terraform listens on 127.0.0.1 only; "localhost" may resolve to ::1 first.
      http.get(res.headers.location.replace("//localhost:", "//127.0.0.1:"), (done) => done.resume()).on("error", (e) => console.error("callback:", e.message));
    });
    req.end(form.toString());
  });
});
`;

function post(base: string, ca: string, path: string, form: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: "POST", ca, headers: { "content-type": "application/x-www-form-urlencoded" } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(new URLSearchParams(form).toString());
  });
}

describe.each(dialects)("terraform login (%s)", (dialect) => {
  let t: TestServer;
  let ca: string;
  let https: string;
  let dir: string;
  let person: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { httpsPort: 0 } });
    ca = t.server.registry.caCertificatePem!;
    https = t.server.httpsUrl!;
    dir = mkdtempSync(join(tmpdir(), "gantry-login-"));
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "ca"));
    mkdirSync(join(dir, ".terraform.d"));
    writeFileSync(join(dir, "ca", "ca.pem"), ca);
    // Like a real xdg-open, it returns at once (terraform waits for it before taking the callback).
    writeFileSync(join(dir, "approve.cjs"), browser);
    writeFileSync(join(dir, "bin", "xdg-open"), `#!/bin/sh\nnode ${JSON.stringify(join(dir, "approve.cjs"))} "$1" >>${JSON.stringify(join(dir, "browser.log"))} 2>&1 &\n`);
    chmodSync(join(dir, "bin", "xdg-open"), 0o755);
    person = await userWithRole(t, "ada", [{ spaceId: "root", role: "read" }]);
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("advertises login.v1", async () => {
    expect((await registryGet(https, ca, "/.well-known/terraform.json")).json()).toMatchObject({ "login.v1": { client: "terraform-cli", grant_types: ["authz_code"], authz: "/oauth/authorization", token: "/oauth/token", ports: [10000, 10010] } });
  });

  it("logs in with the real terraform login; the token reads the registry only, is stored hashed and revocable", async () => {
    const host = t.server.registry.host;
    const env = { PATH: `${join(dir, "bin")}:${process.env.PATH}`, HOME: dir, CHECKPOINT_DISABLE: "1", SSL_CERT_DIR: `/etc/ssl/certs:${join(dir, "ca")}`, GANTRY_TEST_CA: join(dir, "ca", "ca.pem"), GANTRY_TEST_API_KEY: person.key, TF_CLI_CONFIG_FILE: join(dir, "none.tfrc") };
    writeFileSync(join(dir, "none.tfrc"), "");
    const child = spawn("terraform", ["login", "-no-color", host], { env, cwd: dir });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.stdin.end("yes\n");
    // A login that hangs (no browser, no callback) fails with terraform's output, not a timeout.
    const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(kill);
    expect(code, output).toBe(0);
    expect(output).toContain("Success! Terraform has obtained and saved an API token.");
    const saved = JSON.parse(readFileSync(join(dir, ".terraform.d", "credentials.tfrc.json"), "utf8")) as { credentials: Record<string, { token: string }> };
    const token = saved.credentials[host]!.token;
    expect(token).toMatch(/^grt_/);
    // Only its SHA-256 is stored.
    // The secret is base64url (it may itself hold "_"): everything after `grt_<id>_`.
    const secret = /^grt_[0-9A-Za-z]+_(.+)$/.exec(token)![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(await dumpTable(t, "registry_tokens")).not.toContain(secret);
    // It reads the registry (a missing provider is a 404, not a 401)...
    expect((await registryGet(https, ca, "/v1/providers/nobody/nothing/versions", token)).status).toBe(404);
    // ...and nothing else.
    expect((await t.raw("GET", "/api/v1/me", { token })).status).toBe(401);
    writeFileSync(join(dir, "login-output.txt"), output);
    const mine = (await t.client(person.key).call("listRegistryTokens", {})).items;
    expect(mine).toHaveLength(1);
    expect(mine[0]!.description).toContain("terraform login");
    await t.client(person.key).call("deleteRegistryToken", { params: { id: mine[0]!.id } });
    const revoked = await registryGet(https, ca, "/v1/providers/nobody/nothing/versions", token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.toString()).toContain("terraform login");
  }, 120_000);

  it("refuses what terraform would never send: a foreign redirect, a wrong PKCE verifier, a used code", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const params = { response_type: "code", client_id: "terraform-cli", redirect_uri: "http://localhost:10003/login", state: "s1", code_challenge: challenge, code_challenge_method: "S256" };
    const evil = await registryGet(https, ca, `/oauth/authorization?${new URLSearchParams({ ...params, redirect_uri: "https://evil.example.com/login" })}`);
    expect(evil.status).toBe(400);
    expect(evil.body.toString()).toContain("redirect_uri must be http://localhost:&#60;port&#62;/login");
    expect((await post(https, ca, "/oauth/authorization", { ...params, api_key: "gnt_nope_nopenopenopenopenopenope" })).status).toBe(401);
    const approved = await post(https, ca, "/oauth/authorization", { ...params, api_key: person.key });
    expect(approved.status).toBe(302);
    const location = new URL(String(approved.headers.location));
    expect(location.searchParams.get("state")).toBe("s1");
    const code = location.searchParams.get("code")!;
    const exchange = (v: string) => post(https, ca, "/oauth/token", { grant_type: "authorization_code", client_id: "terraform-cli", redirect_uri: params.redirect_uri, code, code_verifier: v });
    const wrong = await exchange("not-the-verifier-but-long-enough-0000000000");
    expect([wrong.status, JSON.parse(wrong.body).error]).toEqual([400, "invalid_grant"]);
    // The failed attempt used the code up.
    const again = await exchange(verifier);
    expect(JSON.parse(again.body).error_description).toContain("unknown, used or expired");
  });
});
