/**
 * `gantry webhook` and `gantry notifications` as people run them, against a real server and a
 * local receiver: the secret file's bytes (one trailing newline dropped) sign the deliveries.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

let t: TestServer;
let asAdmin: CliOptions;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(200).end("ok");
  });
});
let receiverUrl = "";

beforeAll(async () => {
  t = await startTestServer({ outboundAllow: "127.0.0.0/8" });
  asAdmin = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "xdg") }, cwd: t.scratch };
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  receiver.close();
  await t?.stop();
});

const gantry = (args: string[]) => runCli(args, asAdmin);

describe("gantry webhook", () => {
  it("creates a signed endpoint from a secret file, shows deliveries with their attempts, redelivers, and refuses a short secret", async () => {
    const secretFile = join(t.scratch, "hook.secret");
    writeFileSync(secretFile, "0123456789abcdef-from-a-file\n");
    const shortFile = join(t.scratch, "short.secret");
    writeFileSync(shortFile, "short\n");
    const stack = await t.admin.call("createStack", { body: { name: "cli-hooked", repository: "/srv/x.git" } });

    const [created, short, badUrl] = await Promise.all([
      gantry(["webhook", "create", "--name", "cli-hook", "--url", receiverUrl, "--secret-file", secretFile, "--stack", stack.id]),
      gantry(["webhook", "create", "--name", "short", "--url", receiverUrl, "--secret-file", shortFile]),
      gantry(["webhook", "create", "--name", "ftp", "--url", "ftp://example.com/x"]),
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created webhook cli-hook \(secret [0-9a-f]{16}\)$/m);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/secretBase64: must be at least 16 bytes/);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/endpoint: must be an http\(s\) URL/);

    const list = await gantry(["webhook", "list"]);
    expect(list.stdout).toContain("cli-hook");
    expect(list.stdout).not.toContain("from-a-file");

    const run = await t.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await t.admin.call("cancelRun", { params: { id: run.id } });
    await t.server.notificationsForTests!.drained();
    expect(received.map((r) => (JSON.parse(r.body) as { state: string }).state)).toEqual(["QUEUED", "READY", "CANCELED"]);
    for (const r of received) {
      // The file's bytes without the trailing newline are the key.
      expect(r.headers["x-signature-256"]).toBe(`sha256=${createHmac("sha256", "0123456789abcdef-from-a-file").update(r.body).digest("hex")}`);
    }

    const deliveries = await gantry(["webhook", "deliveries", "cli-hook", "-o", "json"]);
    const items = JSON.parse(deliveries.stdout) as { id: string; status: string; attempts: { status: string; responseCode: number }[] }[];
    expect(items).toHaveLength(3);
    expect(items.every((d) => d.status === "DELIVERED" && d.attempts[0]!.status === "ok" && d.attempts[0]!.responseCode === 200)).toBe(true);
    const table = await gantry(["webhook", "deliveries", "cli-hook"]);
    expect(table.stdout).toMatch(/DELIVERED/);

    const again = await gantry(["webhook", "redeliver", "cli-hook", items[0]!.id]);
    expect(again.stdout).toMatch(/^queued delivery \S+ \(a copy of /m);
    await t.server.notificationsForTests!.drained();
    // The redelivery is sent by the deliverer in the background: wait for it to arrive.
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(4);

    const deleted = await gantry(["webhook", "delete", "cli-hook"]);
    expect(deleted.stdout).toContain("webhook cli-hook deleted");
  }, 240_000);
});

describe("gantry notifications", () => {
  it("lists the inbox and acknowledges messages", async () => {
    const stack = await t.admin.call("createStack", { body: { name: "cli-inbox", repository: "/srv/x.git" } });
    const worker = await t.server.mintWorkerToken();
    const post = (path: string, body: unknown, token: string) => fetch(t.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const { workerId } = (await post("/api/v1/worker/register", { name: "cli-test" }, worker)) as { workerId: string };
    const run = await t.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    const { job } = (await post(`/api/v1/worker/${workerId}/claim`, { waitMs: 0 }, worker)) as { job: { runId: string; runToken: string } };
    expect(job.runId).toBe(run.id);
    await post(`/api/v1/worker/runs/${run.id}/transition`, { to: "FAILED", note: "boom" }, job.runToken);
    await t.server.notificationsForTests!.drained();

    const list = await gantry(["notifications", "list", "-o", "json"]);
    const items = JSON.parse(list.stdout) as { id: string; runId: string; acked: boolean; severity: string }[];
    const mine = items.find((i) => i.runId === run.id)!;
    expect(mine).toMatchObject({ acked: false, severity: "ERROR" });
    const ack = await gantry(["notifications", "ack", mine.id]);
    expect(ack.stdout).toContain("acknowledged 1 notification");
    const unacked = await gantry(["notifications", "list", "--unacked", "-o", "json"]);
    expect((JSON.parse(unacked.stdout) as { id: string }[]).some((i) => i.id === mine.id)).toBe(false);
  }, 240_000);
});
