/**
 * `gantry stack local-preview`: the real command packs a directory (honouring .gitignore and
 * .terraformignore), the server checks and stores it, and a real worker plans it with the real
 * terraform as a proposed run, without touching the stack's repository.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GantryApiError } from "@gantry/contract";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { create } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesToUpload } from "../src/pack.js";
import { runCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const broken = "this is { not valid HCL\n";

async function tarOf(cwd: string, paths: string[], opts: { preservePaths?: boolean } = {}): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of create({ gzip: true, cwd, portable: true, follow: false, ...opts }, paths) as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString("base64");
}

describe("gantry stack local-preview", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let opts: CliOptions;
  let code: string;

  beforeAll(async () => {
    t = await startTestServer();
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-cli-worker-")), claimWaitMs: 5000 });
    await worker.ready;
    opts = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch }, cwd: t.scratch };
    // The stack's repository does not exist: a local preview must never need it.
    const common = { spaceId: "root", repository: join(t.scratch, "no-such-repository"), branch: "main", projectRoot: "infra" };
    await t.admin.call("createStack", { body: { id: "previewed", name: "previewed", enableLocalPreview: true, ...common } });
    await t.admin.call("createStack", { body: { id: "closed", name: "closed", ...common } });
    code = mkdtempSync(join(tmpdir(), "gantry-local-code-"));
    writeTree(code, {
      "infra/main.tf": 'resource "terraform_data" "note" {\n  input = "uncommitted"\n}\n',
      // Each of these would break the plan if it were uploaded.
      "infra/scratch.tf": broken,
      "infra/generated/extra.tf": broken,
      "infra/.terraform/modules/junk.tf": broken,
      ".gitignore": "infra/scratch.tf\n",
      "infra/.gitignore": "generated/\n",
      ".terraformignore": "*.log\n",
      "debug.log": "noise",
      ".git/HEAD": "ref: refs/heads/main\n",
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    if (code) rmSync(code, { recursive: true, force: true });
  });

  it("uploads only what .gitignore and .terraformignore let through", () => {
    expect(filesToUpload(code)).toEqual([".gitignore", ".terraformignore", "infra/.gitignore", "infra/main.tf"]);
  });

  it("plans the uploaded code as a proposed run and streams its log", async () => {
    const r = await runCli(["stack", "local-preview", "previewed", "--dir", code, "-m", "trying a note"], opts);
    expect(r.stderr).toContain("uploading 4 files");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    const id = /run (\w+) \(PROPOSED\) triggered on stack previewed/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    const run = await t.admin.call("getRun", { params: { id: id! } });
    expect(run).toMatchObject({ type: "PROPOSED", state: "FINISHED", source: "upload", delta: { added: 1, changed: 0, deleted: 0 } });
    expect(run.commit).toMatchObject({ sha: null, message: "trying a note" });
    // A preview of uploaded code cannot be retried: there is no commit to run again.
    await expect(t.admin.call("retryRun", { params: { id: id! } })).rejects.toThrow(/start a new local preview/);
  }, 120_000);

  it("refuses a stack that does not allow local previews, saying how to allow it", async () => {
    const r = await runCli(["stack", "local-preview", "closed", "--dir", code], opts);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("enableLocalPreview");
    const runs = await t.admin.call("listStackRuns", { params: { id: "closed" } });
    expect(runs.items).toEqual([]);
  });

  it("refuses archives that would write outside the workspace, naming the entry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gantry-bad-archive-"));
    writeTree(dir, { "inner/x.tf": "", "outside.tf": "" });
    symlinkSync("/etc", join(dir, "inner", "etc"));
    mkdirSync(join(dir, "inner", "sub"));
    symlinkSync("../../outside.tf", join(dir, "inner", "sub", "up"));
    const attempts: [string, RegExp][] = [
      [await tarOf(join(dir, "inner"), ["../outside.tf"], { preservePaths: true }), /"\.\.\/outside\.tf" leaves the workspace/],
      [await tarOf(join(dir, "inner"), ["etc"]), /symbolic link "etc" points outside the workspace/],
      [await tarOf(join(dir, "inner"), ["x.tf", "sub/up"]), /symbolic link "sub\/up" points outside the workspace/],
      [Buffer.from("not a tarball at all").toString("base64"), /not a valid gzipped tar/],
    ];
    for (const [archiveBase64, message] of attempts) {
      const err = await t.admin.call("createLocalPreview", { params: { id: "previewed" }, body: { archiveBase64 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GantryApiError);
      expect((err as GantryApiError).status).toBe(422);
      expect((err as GantryApiError).message).toMatch(message);
      expect((err as GantryApiError).details).toMatchObject({ issues: [{ path: ["archiveBase64"] }] });
    }
    const runs = await t.admin.call("listStackRuns", { params: { id: "previewed" } });
    expect(runs.items).toHaveLength(1);
    const listed = await runCli(["run", "list", "previewed"], opts);
    expect(listed.stdout).toContain("(local upload)");
    rmSync(dir, { recursive: true, force: true });
  });
});
