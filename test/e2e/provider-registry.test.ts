/**
 * Providers for every stack, end to end (issue #17, providers half), with the real server (HTTPS
 * with its local CA), the real worker, terraform and the CLI:
 * - the AWS simulator is published into the registry at start-up, and an ordinary stack installs
 *   it with a plain `required_providers` block through Gantry's network mirror, the worker
 *   having no filesystem mirror at all;
 * - a team publishes its own provider with `gantry provider publish --dir` (a goreleaser-style
 *   release, GPG-signed); a stack of its space installs it, a stack of another space gets a
 *   clean `terraform init` error;
 * - the credential in the run's CLI config is a registry-only token (grt_), not the run token;
 * - Gantry's provider under Spacelift's addresses (spacelift-io/spacelift, hashicorp/spacelift)
 *   installs from Gantry's mirror in a plain and in an administrative stack, offline;
 * - a yanked version: a fresh `~> 1.0` does not pick it, a committed lock file pinning it still
 *   installs it.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { zipSync } from "fflate";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";
import { buildShippedMirror } from "../../apps/worker/test/shipped-providers.js";
import { makeRepo, runLog, waitForRun, type Repo } from "../../apps/worker/test/fixtures.js";

const root = join(import.meta.dirname, "..", "..");
const execFileAsync = promisify(execFile);
const RUN_WAIT_MS = 240_000;

/** The patterns the run log's `providers:` line says come from Gantry's network mirror. */
const fromGantryMirror = (log: string) => (/providers: (.*) from Gantry's provider mirror/.exec(log)?.[1] ?? "").split(", ");

const uses = (providers: Record<string, string>) =>
  `terraform {\n  required_providers {\n${Object.entries(providers).map(([name, source]) => `    ${name} = { source = ${JSON.stringify(source)} }\n`).join("")}  }\n}\nresource "terraform_data" "x" {\n  input = "ok"\n}\n`;

describe("provider registry and network mirror with real runs", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let infra: Repo;
  let dir: string;
  let shippedMirror: string;
  let acmePrivateKey: string;

  const run = async (stackId: string) => {
    const created = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "PROPOSED" } });
    const done = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    return { run: done, log: await runLog(t.admin, done.id) };
  };
  const gantry = (...args: string[]) =>
    execFileAsync(join(root, "node_modules/.bin/tsx"), [join(root, "apps/cli/src/main.ts"), ...args], { env: { PATH: process.env.PATH, HOME: dir, GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey }, encoding: "utf8" });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gantry-provider-e2e-"));
    const shipped = await buildShippedMirror({ spacelift: true });
    shippedMirror = shipped;
    t = await startTestServer("sqlite", { settings: { httpsPort: 0, shippedProvidersDir: shipped } });
    const host = t.server.registry.host;

    // A team's own provider, released as goreleaser lays it out (the simulator's binary, renamed).
    const release = join(dir, "release");
    mkdirSync(release);
    const zip = zipSync({ "terraform-provider-demo_v1.0.0": [readFileSync(join(shipped, "gantry.dev/sim/aws/0.1.0/linux_amd64/terraform-provider-aws_v0.1.0")), { os: 3, attrs: (0o100755 << 16) >>> 0 }] });
    writeFileSync(join(release, "terraform-provider-demo_1.0.0_linux_amd64.zip"), zip);
    const sums = `${createHash("sha256").update(zip).digest("hex")}  terraform-provider-demo_1.0.0_linux_amd64.zip\n`;
    writeFileSync(join(release, "terraform-provider-demo_1.0.0_SHA256SUMS"), sums);
    const { privateKey, publicKey } = await openpgp.generateKey({ type: "ecc", curve: "curve25519Legacy", userIDs: [{ name: "acme" }], format: "armored" });
    const sig = await openpgp.sign({ message: await openpgp.createMessage({ binary: Buffer.from(sums) }), signingKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }), detached: true, format: "binary" });
    writeFileSync(join(release, "terraform-provider-demo_1.0.0_SHA256SUMS.sig"), sig as Uint8Array);
    writeFileSync(join(dir, "acme.asc"), publicKey);
    acmePrivateKey = privateKey;

    await t.admin.call("createSpace", { body: { id: "platform", name: "platform" } });
    await t.admin.call("createSpace", { body: { id: "payments", name: "payments", inheritEntities: false } });
    infra = makeRepo({
      "sim/main.tf": uses({ aws: "gantry.dev/sim/aws" }),
      "team/main.tf": uses({ demo: `${host}/acme/demo` }),
    });
    const spaceliftSources = `terraform {\n  required_providers {\n    spacelift = {\n      source  = "spacelift-io/spacelift"\n      version = "~> 1.0"\n    }\n    legacy = { source = "hashicorp/spacelift" }\n  }\n}\n`;
    infra.commit({
      "spacelift-plain/main.tf": `${spaceliftSources}resource "terraform_data" "x" {\n  input = "ok"\n}\n`,
      "spacelift-admin/main.tf": `${spaceliftSources}data "spacelift_current_stack" "this" {}\noutput "me" {\n  value = data.spacelift_current_stack.this.id\n}\n`,
    }, "stacks using Spacelift's provider address");
    await t.admin.call("createStack", { body: { id: "spacelift-plain", name: "spacelift-plain", spaceId: "payments", repository: infra.path, projectRoot: "spacelift-plain" } });
    await t.admin.call("createStack", { body: { id: "spacelift-admin", name: "spacelift-admin", repository: infra.path, projectRoot: "spacelift-admin", administrative: true } });
    await t.admin.call("createStack", { body: { id: "sim-user", name: "sim-user", spaceId: "payments", repository: infra.path, projectRoot: "sim", hooks: { beforeInit: ["grep -o 'token = \"[a-z]*_' \"$TF_CLI_CONFIG_FILE\""] } } });
    await t.admin.call("createStack", { body: { id: "team", name: "team", spaceId: "platform", repository: infra.path, projectRoot: "team" } });
    await t.admin.call("createStack", { body: { id: "outsider", name: "outsider", spaceId: "payments", repository: infra.path, projectRoot: "team" } });
    // No filesystem mirror: whatever the runs install comes through the registry.
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: join(dir, "worker"), providerMirror: join(dir, "no-mirror"), claimWaitMs: 5000 });
    await worker.ready;
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("installs the shipped AWS simulator through Gantry's mirror with a plain required_providers block", async () => {
    const { run: r, log } = await run("sim-user");
    expect(r.state, `${r.failureReason}\n${log}`).toBe("FINISHED");
    expect(fromGantryMirror(log)).toContain("gantry.dev/sim/*");
    expect(log).toContain("every other provider: none (offline");
    expect(log).toMatch(/Installed gantry\.dev\/sim\/aws v0\.1\.0/);
    // The CLI config's credential is the registry-only token, not the run token.
    expect(log).toContain('token = "grt_');
    expect(log).not.toContain('token = "gnr_');
  }, 300_000);

  it("publishes a team's provider with the CLI; its space's stacks install it, others get a clean init error", async () => {
    await gantry("provider", "namespace", "create", "acme", "--space", "platform");
    await gantry("provider", "key", "add", "acme", "--file", join(dir, "acme.asc"));
    const published = await gantry("provider", "publish", "acme/demo", "1.0.0", "--dir", join(dir, "release"), "--protocol", "6.0", "-o", "json");
    expect(JSON.parse(published.stdout)).toMatchObject({ alreadyPublished: false, version: { version: "1.0.0", platforms: [{ os: "linux", arch: "amd64" }] } });
    const listed = JSON.parse((await gantry("provider", "versions", "acme/demo", "-o", "json")).stdout) as { version: string }[];
    expect(listed.map((v) => v.version)).toEqual(["1.0.0"]);

    const team = await run("team");
    expect(team.run.state, `${team.run.failureReason}\n${team.log}`).toBe("FINISHED");
    expect(team.log).toContain(`Installed ${t.server.registry.host}/acme/demo v1.0.0`);
    const outsider = await run("outsider");
    expect(outsider.run.state).toBe("FAILED");
    expect(outsider.log).toContain(`${t.server.registry.host}/acme/demo`);
    expect(outsider.log).not.toContain("Installed");
  }, 400_000);

  it("refuses a tampered release with the CLI, naming the file", async () => {
    const bad = join(dir, "bad");
    mkdirSync(bad);
    for (const f of ["terraform-provider-demo_1.0.0_SHA256SUMS", "terraform-provider-demo_1.0.0_SHA256SUMS.sig"]) writeFileSync(join(bad, f.replace("1.0.0", "1.1.0")), readFileSync(join(dir, "release", f)));
    writeFileSync(join(bad, "terraform-provider-demo_1.1.0_linux_amd64.zip"), "not the zip");
    const failed = await gantry("provider", "publish", "acme/demo", "1.1.0", "--dir", bad).then(() => undefined, (e: { stderr: string; code: number }) => e);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("terraform-provider-demo_1.1.0_linux_amd64.zip is not listed in SHA256SUMS");
  }, 60_000);

  it("installs Gantry's provider under Spacelift's addresses from Gantry's mirror, in a plain and an administrative stack", async () => {
    const logs: Record<string, string> = {};
    for (const id of ["spacelift-plain", "spacelift-admin"]) {
      const { run: r, log } = await run(id);
      logs[id] = log;
      expect(r.state, `${id}: ${r.failureReason}\n${log}`).toBe("FINISHED");
      // Exactly these two addresses on registry.terraform.io: the rest of it is not Gantry's.
      expect(fromGantryMirror(log).filter((p) => p.startsWith("registry.terraform.io/"))).toEqual(["registry.terraform.io/hashicorp/spacelift", "registry.terraform.io/spacelift-io/spacelift"]);
      expect(log).toMatch(/Installed spacelift-io\/spacelift v1\.53\.5/);
      expect(log).toMatch(/Installed hashicorp\/spacelift v1\.53\.5/);
      // Offline: nothing else was asked for, and no filesystem mirror was used.
      expect(log).toContain("every other provider: none (offline");
      expect(log).not.toContain("filesystem mirror");
    }
    // The administrative stack's provider was configured (the run's API token) and read its data source.
    expect(logs["spacelift-admin"]).toContain('me = "spacelift-admin"');
  }, 400_000);

  it("a yanked version: a fresh ~> 1.0 does not pick it; a lock file pinning it still installs it", async () => {
    // 1.1.0: the same build under a newer version, published by the team and then yanked.
    const release = join(dir, "release-1.1.0");
    mkdirSync(release);
    const zip = zipSync({ "terraform-provider-demo_v1.1.0": [readFileSync(join(shippedMirror, "gantry.dev/sim/aws/0.1.0/linux_amd64/terraform-provider-aws_v0.1.0")), { os: 3, attrs: (0o100755 << 16) >>> 0 }] });
    writeFileSync(join(release, "terraform-provider-demo_1.1.0_linux_amd64.zip"), zip);
    const sums = `${createHash("sha256").update(zip).digest("hex")}  terraform-provider-demo_1.1.0_linux_amd64.zip\n`;
    writeFileSync(join(release, "terraform-provider-demo_1.1.0_SHA256SUMS"), sums);
    const sig = await openpgp.sign({ message: await openpgp.createMessage({ binary: Buffer.from(sums) }), signingKeys: await openpgp.readPrivateKey({ armoredKey: acmePrivateKey }), detached: true, format: "binary" });
    writeFileSync(join(release, "terraform-provider-demo_1.1.0_SHA256SUMS.sig"), sig as Uint8Array);
    await gantry("provider", "publish", "acme/demo", "1.1.0", "--dir", release, "--protocol", "6.0");
    const yanked = JSON.parse((await gantry("provider", "yank", "acme/demo", "1.1.0", "-o", "json")).stdout) as { version: { yanked: boolean; platforms: { h1: string; sha256: string }[] } };
    expect(yanked.version.yanked).toBe(true);

    const host = t.server.registry.host;
    const constrained = `terraform {\n  required_providers {\n    demo = {\n      source  = "${host}/acme/demo"\n      version = "~> 1.0"\n    }\n  }\n}\nresource "terraform_data" "x" {\n  input = "ok"\n}\n`;
    const p = yanked.version.platforms[0]!;
    const lock = `provider "${host}/acme/demo" {\n  version     = "1.1.0"\n  constraints = "~> 1.0"\n  hashes = [\n    "${p.h1}",\n    "zh:${p.sha256}",\n  ]\n}\n`;
    infra.commit({ "fresh/main.tf": constrained, "locked/main.tf": constrained, "locked/.terraform.lock.hcl": lock }, "a fresh and a locked consumer of acme/demo");
    await t.admin.call("createStack", { body: { id: "fresh", name: "fresh", spaceId: "platform", repository: infra.path, projectRoot: "fresh" } });
    await t.admin.call("createStack", { body: { id: "locked", name: "locked", spaceId: "platform", repository: infra.path, projectRoot: "locked" } });
    const fresh = await run("fresh");
    expect(fresh.run.state, `${fresh.run.failureReason}\n${fresh.log}`).toBe("FINISHED");
    expect(fresh.log).toContain(`Installed ${host}/acme/demo v1.0.0`);
    const locked = await run("locked");
    expect(locked.run.state, `${locked.run.failureReason}\n${locked.log}`).toBe("FINISHED");
    expect(locked.log).toContain(`Installed ${host}/acme/demo v1.1.0`);

    // Unyanked, a fresh constraint picks it again.
    await gantry("provider", "unyank", "acme/demo", "1.1.0");
    const again = await run("fresh");
    expect(again.log).toContain(`Installed ${host}/acme/demo v1.1.0`);
  }, 600_000);
});
