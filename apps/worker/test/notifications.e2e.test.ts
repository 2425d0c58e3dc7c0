/**
 * The notification acceptance flow with the real worker and the real terraform: a prod stack's
 * tracked run waits for a person (UNCONFIRMED) and Slack hears about it while the stack's webhook
 * gets every transition, signed; after confirmation it applies; failures reach the webhook, and a
 * NOTIFICATION policy sends only env:prod failures to Slack.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { slackStandIn, verifySignature, webhookReceiver, type Receiver, type SlackStandIn } from "../../server/test/receivers.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, waitForRun } from "./fixtures.js";

const secret = "acceptance-signing-secret-0123456789";
const policy = `package spacelift
import rego.v1
prod if "env:prod" in input.run_updated.stack.labels
slack contains {"channel_id": "C0PROD", "message": sprintf("prod run %s waits for a person", [input.run_updated.run.id])} if {
  prod
  input.run_updated.state == "UNCONFIRMED"
}
slack contains {"channel_id": "C0PROD", "message": sprintf("prod run %s failed", [input.run_updated.run.id])} if {
  prod
  input.run_updated.state == "FAILED"
}`;

describe("notifications with real runs", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let slack: SlackStandIn;
  let hook: Receiver;
  beforeAll(async () => {
    t = await startTestServer("sqlite", { settings: { outboundAllow: "127.0.0.0/8" } });
    slack = await slackStandIn(["C0PROD"]);
    hook = await webhookReceiver();
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-notify-")) });
    await worker.ready;
    await t.admin.call("createSlackIntegration", { body: { name: "workspace", apiBaseUrl: slack.url, botToken: slack.token } });
    await t.admin.call("createWebhook", { body: { id: "incidents", name: "incidents", endpoint: hook.url, secret, labels: ["autoattach:service"] } });
    await t.admin.call("createPolicy", { body: { name: "prod-routing", type: "NOTIFICATION", labels: ["autoattach:service"], body: policy } });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    await hook?.close();
    await slack?.close();
  });

  it("a prod run waiting for confirmation reaches Slack and the signed webhook; only prod failures reach Slack", async () => {
    const repo = makeRepo();
    const prod = await t.admin.call("createStack", { body: { name: "payments-prod", repository: repo.path, labels: ["service", "env:prod"], autodeploy: false } });
    const dev = await t.admin.call("createStack", { body: { name: "payments-dev", repository: repo.path, labels: ["service", "env:dev"], autodeploy: false } });

    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: prod.id }, body: { type: "TRACKED" } })).id, ["UNCONFIRMED", "FAILED"]);
    expect(run.state, run.failureReason ?? "").toBe("UNCONFIRMED");
    await t.server.notificationsForTests!.drained();
    expect(slack.posted.map((p) => p.text)).toEqual([`prod run ${run.id} waits for a person`]);
    const waiting = hook.received.find((r) => (r.json.run as { id: string }).id === run.id && r.json.state === "UNCONFIRMED");
    expect(waiting && verifySignature(Buffer.from(secret), waiting)).toBe(true);

    await t.admin.call("confirmRun", { params: { id: run.id } });
    expect((await waitForRun(t.admin, run.id)).state).toBe("FINISHED");

    // A failing task on each stack: both reach the webhook, only prod's reaches Slack.
    const failing = async (stackId: string) => (await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: stackId }, body: { type: "TASK", command: "echo broken; exit 3" } })).id)).id;
    const devFailed = await failing(dev.id);
    const prodFailed = await failing(prod.id);
    await t.server.notificationsForTests!.drained();
    const states = (id: string) => hook.received.filter((r) => (r.json.run as { id: string }).id === id).map((r) => r.json.state);
    expect(states(run.id)).toEqual(expect.arrayContaining(["QUEUED", "PLANNING", "UNCONFIRMED", "CONFIRMED", "APPLYING", "FINISHED"]));
    expect(states(devFailed)).toContain("FAILED");
    expect(states(prodFailed)).toContain("FAILED");
    expect(slack.posted.map((p) => p.text)).toEqual([`prod run ${run.id} waits for a person`, `prod run ${prodFailed} failed`]);
    expect(slack.refused).toEqual([]);
    expect(hook.received.every((r) => verifySignature(Buffer.from(secret), r))).toBe(true);
  });
});
