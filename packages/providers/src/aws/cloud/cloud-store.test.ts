import { mkdtemp, mkdir, readFile, readdir, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CloudStore } from "./cloud-store.js";
import { STALE_LOCK_MS } from "./file-lock.js";

const scope = { accountId: "123456789012", region: "us-east-1" };
const hammer = fileURLToPath(new URL("../../../test/fixtures/hammer-cloud.ts", import.meta.url));

function run(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", hammer, ...args], { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? -1));
  });
}

describe("CloudStore", () => {
  it("stores objects per account and region and reads them back", async () => {
    const store = new CloudStore(await mkdtemp(join(tmpdir(), "sim-")));
    await store.put(scope, "aws_vpc", "vpc-1", { cidr_block: "10.0.0.0/16" });
    await store.put({ ...scope, region: "eu-west-1" }, "aws_vpc", "vpc-2", { cidr_block: "10.1.0.0/16" });
    expect(await store.get(scope, "aws_vpc", "vpc-1")).toEqual({ cidr_block: "10.0.0.0/16" });
    expect(await store.get(scope, "aws_vpc", "vpc-2")).toBeNull();
    expect((await readdir(join(store.dir, scope.accountId))).sort()).toEqual(["eu-west-1.json", "us-east-1.json"]);
    expect(await store.remove(scope, "aws_vpc", "vpc-1")).toBe(true);
    expect(await store.remove(scope, "aws_vpc", "vpc-1")).toBe(false);
    expect((await store.read(scope)).serial).toBe(3);
  });

  it("sees edits made to the file by hand (drift)", async () => {
    const store = new CloudStore(await mkdtemp(join(tmpdir(), "sim-")));
    await store.put(scope, "aws_s3_bucket", "b", { bucket: "b", tags: { env: "dev" } });
    const path = store.filePath(scope);
    const edited = JSON.parse(await readFile(path, "utf8"));
    edited.objects.aws_s3_bucket.b.tags.env = "prod";
    await writeFile(path, JSON.stringify(edited));
    expect(await store.get(scope, "aws_s3_bucket", "b")).toEqual({ bucket: "b", tags: { env: "prod" } });
  });

  it("leaves the file untouched when a change throws", async () => {
    const store = new CloudStore(await mkdtemp(join(tmpdir(), "sim-")));
    await store.put(scope, "aws_vpc", "vpc-1", { a: 1 });
    await expect(
      store.update(scope, (file) => {
        file.objects["aws_vpc"] = {};
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await store.get(scope, "aws_vpc", "vpc-1")).toEqual({ a: 1 });
    expect((await readdir(join(store.dir, scope.accountId))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a corrupt file with a message naming it", async () => {
    const store = new CloudStore(await mkdtemp(join(tmpdir(), "sim-")));
    await mkdir(join(store.dir, scope.accountId), { recursive: true });
    await writeFile(store.filePath(scope), "{ not json");
    await expect(store.read(scope)).rejects.toThrow(/us-east-1\.json is not valid JSON/);
  });

  it("rejects scope names that could escape the directory", () => {
    const store = new CloudStore("/tmp/x");
    expect(() => store.filePath({ accountId: "..", region: "us-east-1" })).toThrow(/not a valid account id/);
  });

  it("takes over a lock left behind by a dead process once it is stale", async () => {
    const store = new CloudStore(await mkdtemp(join(tmpdir(), "sim-")));
    await mkdir(join(store.dir, scope.accountId), { recursive: true });
    const lockDir = `${store.filePath(scope)}.lock`;
    await mkdir(lockDir);
    const old = new Date(Date.now() - STALE_LOCK_MS - 1_000);
    await utimes(lockDir, old, old);
    // Without the takeover this put would wait for the lock forever (the test's timeout catches it).
    await store.put(scope, "aws_vpc", "vpc-1", { a: 1 });
    expect(await store.get(scope, "aws_vpc", "vpc-1")).toEqual({ a: 1 });
  });

  it("waits for a live lock instead of writing through it", async () => {
    const store = new CloudStore(await mkdtemp(join(tmpdir(), "sim-")));
    let releaseFirst!: () => void;
    const first = store.update(scope, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    await new Promise((r) => setTimeout(r, 50));
    let secondDone = false;
    const second = store.put(scope, "aws_vpc", "vpc-2", { b: 2 }).then(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(secondDone).toBe(false);
    releaseFirst();
    await Promise.all([first, second]);
    expect((await store.read(scope)).serial).toBe(2);
  });

  it("never loses or corrupts a write when several processes hammer one file", async () => {
    const store = new CloudStore(await mkdtemp(join(tmpdir(), "sim-")));
    const workers = 4;
    const perWorker = 30;
    const codes = await Promise.all(Array.from({ length: workers }, (_, w) => run([store.dir, `w${w}`, String(perWorker)])));
    expect(codes).toEqual(Array(workers).fill(0));
    const file = await store.read(scope);
    expect(file.objects["counter"]?.["shared"]?.["value"]).toBe(workers * perWorker);
    expect(Object.keys(file.objects["worker"] ?? {})).toHaveLength(workers * perWorker);
    expect(file.serial).toBe(workers * perWorker);
  });
});
