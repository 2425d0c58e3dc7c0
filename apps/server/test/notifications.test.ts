/**
 * Notifications end to end through the API and the worker protocol: webhook endpoints (bad
 * input, write-only secret, signed deliveries of every transition, retries with backoff),
 * NOTIFICATION policies (routing, receipts, internal errors), Slack against a stand-in, the
 * inbox, the SSRF guard and /metrics.
 */
import { GantryApiError } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { slackStandIn, verifySignature, webhookReceiver, type Receiver, type SlackStandIn } from "./receivers.js";
import { planToUnconfirmed, protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const secret = "a-very-secret-signing-key-0123456789";

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A run that fails during planning, through the worker protocol. */
async function failingRun(t: TestServer, w: ProtocolWorker, stackId: string): Promise<string> {
  const run = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "TRACKED" } });
  const job = await w.claimRun(run.id);
  await w.report(job, "INITIALIZING");
  await w.report(job, "FAILED", { note: "terraform init failed" });
  return run.id;
}

describe.each(dialects)("notifications (%s)", (dialect) => {
  let t: TestServer;
  let hook: Receiver;
  let w: ProtocolWorker;
  let slack: SlackStandIn;

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { outboundAllow: "127.0.0.0/8", notifyBackoffSeconds: 0.05, notifyMaxAttempts: 5 } });
    hook = await webhookReceiver();
    slack = await slackStandIn(["C0PROD"]);
    w = await protocolWorker(t);
  });
  afterAll(async () => {
    await hook?.close();
    await slack?.close();
    await t?.stop();
  });

  it("refuses bad webhook input with the field that is wrong", async () => {
    const bad = async (body: Record<string, unknown>) => {
      const err = await t.admin.call("createWebhook", { body: body as never }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GantryApiError);
      const e = err as GantryApiError;
      return { code: e.code, message: e.message, details: e.details };
    };
    const ftp = await bad({ name: "x", endpoint: "ftp://example.com/hook" });
    expect(ftp.code).toBe("invalid");
    expect(JSON.stringify(ftp.details)).toContain("endpoint");
    const short = await bad({ name: "x", endpoint: "https://example.com/hook", secret: "too-short" });
    expect(short.message).toMatch(/at least 16 bytes/);
    expect(JSON.stringify(short.details)).toContain("secret");
    const noStack = await bad({ name: "x", endpoint: "https://example.com/hook", stackId: "nope" });
    expect(noStack.message).toMatch(/stack "nope" does not exist/);
    expect((await t.admin.call("listWebhooks", {})).items).toHaveLength(0);
  });

  it("refuses a Slack API base given with an incoming webhook, which would never use it", async () => {
    const err = (await t.admin.call("createSlackIntegration", { body: { name: "one-channel", apiBaseUrl: "https://slack.example.com/api", incomingWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" } }).catch((e: unknown) => e)) as GantryApiError;
    expect(err).toBeInstanceOf(GantryApiError);
    expect(err.details).toMatchObject({ issues: [{ path: ["apiBaseUrl"], message: expect.stringContaining("applies only with botToken") }] });
    expect((await t.admin.call("listSlackIntegrations", {})).items.map((s) => s.id)).not.toContain("one-channel");
    // Slack's own address (the default) may be given explicitly.
    const ok = await t.admin.call("createSlackIntegration", { body: { name: "one-channel", apiBaseUrl: "https://slack.com/api/", incomingWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" } });
    expect(ok.id).toBe("one-channel");
    await t.admin.call("deleteSlackIntegration", { params: { id: "one-channel" } });
  });

  it("signs and delivers every state change of a stack's run to its webhook; the secret is write-only", async () => {
    const stack = await t.admin.call("createStack", { body: { name: "hooked", repository: "/srv/x.git" } });
    const created = await t.admin.call("createWebhook", { body: { name: "hooked-hook", stackId: stack.id, endpoint: hook.url, secret } });
    expect(created.secretChecksum).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(created)).not.toContain(secret);
    expect(await dumpTable(t, "webhooks")).not.toContain(secret);
    const before = hook.received.length;
    const runId = await failingRun(t, w, stack.id);
    await t.server.notificationsForTests!.drained();
    const got = hook.received.slice(before);
    expect(got.map((r) => r.json.state)).toEqual(["QUEUED", "READY", "PREPARING", "INITIALIZING", "FAILED"]);
    for (const r of got) {
      expect(verifySignature(Buffer.from(secret), r)).toBe(true);
      expect(r.headers["x-gantry-delivery"]).toMatch(/^[0-9A-Z]{26}$/);
    }
    const failed = got.at(-1)!.json as { run: { id: string; failureReason: string }; stack: { id: string } };
    expect(failed.run.id).toBe(runId);
    expect(failed.run.failureReason).toBe("terraform init failed");
    expect(failed.stack.id).toBe(stack.id);
    const deliveries = await t.admin.call("listWebhookDeliveries", { params: { id: created.id } });
    expect(deliveries.items).toHaveLength(5);
    expect(deliveries.items.every((d) => d.status === "DELIVERED" && d.attempts.length === 1 && d.attempts[0]!.status === "ok" && d.attempts[0]!.responseCode === 200 && d.attempts[0]!.responseBody === "thanks")).toBe(true);

    // Redelivery sends the same payload again under a new delivery id.
    const again = await t.admin.call("redeliverWebhook", { params: { id: created.id, deliveryId: deliveries.items[0]!.id } });
    await t.server.notificationsForTests!.drained();
    const last = hook.received.at(-1)!;
    expect(last.headers["x-gantry-delivery"]).toBe(again.id);
    expect(last.json.state).toBe("FAILED");
  });

  it("retries with backoff and records every attempt; gives up after the configured attempts with an internal error in the inbox", async () => {
    const stack = await t.admin.call("createStack", { body: { name: "flaky", repository: "/srv/x.git" } });
    const wh = await t.admin.call("createWebhook", { body: { name: "flaky-hook", stackId: stack.id, endpoint: hook.url, secret } });
    hook.failNext(3, 503);
    const run = await t.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await t.admin.call("cancelRun", { params: { id: run.id } });
    const all = await until("both deliveries settled", async () => {
      const d = await t.admin.call("listWebhookDeliveries", { params: { id: wh.id } });
      // QUEUED, READY and CANCELED.
      return d.items.length >= 3 && d.items.every((x) => x.status !== "PENDING") && d.items;
    });
    const attempts = all.flatMap((d) => d.attempts);
    expect(attempts.filter((a) => a.status === "error").map((a) => a.responseCode)).toEqual([503, 503, 503]);
    expect(attempts.filter((a) => a.status === "ok")).toHaveLength(3);
    expect(all.every((d) => d.status === "DELIVERED")).toBe(true);

    // A receiver that never answers 2xx: after 5 attempts the delivery fails and the inbox says so.
    await t.admin.call("updateWebhook", { params: { id: wh.id }, body: { endpoint: `${hook.url}/gone` } });
    hook.failNext(1000, 500);
    const second = await t.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await t.admin.call("cancelRun", { params: { id: second.id } });
    const inbox = await until("the exhausted delivery in the inbox", async () => {
      const n = await t.admin.call("listNotifications", {});
      return n.items.some((i) => i.title.includes("failed after 5 attempts")) && n.items;
    });
    expect(inbox.find((i) => i.title.includes("failed after 5 attempts"))!.severity).toBe("ERROR");
    hook.failNext(0);
  });

  it("routes by NOTIFICATION policy: only env:prod failures go to Slack and a webhook; receipts are on the run; a missing webhook id is an internal error", async () => {
    await t.admin.call("createSlackIntegration", { body: { name: "workspace", apiBaseUrl: slack.url, botToken: slack.token } });
    await t.admin.call("createWebhook", { body: { id: "incidents", name: "incidents", endpoint: hook.url, secret } });
    const policy = await t.admin.call("createPolicy", {
      body: {
        name: "prod-failures", type: "NOTIFICATION", labels: ["autoattach:*"],
        body: `package spacelift
import rego.v1
prod if "env:prod" in input.run_updated.stack.labels
failed if input.run_updated.state == "FAILED"
slack contains {"channel_id": "C0PROD", "message": sprintf("prod run %s failed", [input.run_updated.run.id])} if { prod; failed }
webhook contains {"endpoint_id": "incidents", "payload": {"incident": input.run_updated.run.id}} if { prod; failed }
webhook contains {"endpoint_id": "no-such-hook"} if { prod; input.run_updated.state == "INITIALIZING" }
inbox contains {"title": "prod failed", "body": input.run_updated.note, "severity": "ERROR"} if { prod; failed }`,
      },
    });
    const prod = await t.admin.call("createStack", { body: { name: "prod-app", repository: "/srv/x.git", labels: ["env:prod"] } });
    const dev = await t.admin.call("createStack", { body: { name: "dev-app", repository: "/srv/x.git", labels: ["env:dev"] } });
    const slackBefore = slack.posted.length;
    const hookBefore = hook.received.length;
    await failingRun(t, w, dev.id);
    const prodRun = await failingRun(t, w, prod.id);
    await t.server.notificationsForTests!.drained();
    const posted = slack.posted.slice(slackBefore);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.channel).toBe("C0PROD");
    expect(posted[0]!.text).toBe(`prod run ${prodRun} failed`);
    expect(JSON.stringify(posted[0]!.blocks)).toContain("prod-app");
    expect(slack.refused).toEqual([]);
    const incidents = hook.received.slice(hookBefore).filter((r) => "incident" in r.json);
    expect(incidents.map((r) => r.json)).toEqual([{ incident: prodRun }]);
    expect(verifySignature(Buffer.from(secret), incidents[0]!)).toBe(true);

    const detail = await t.admin.call("getRun", { params: { id: prodRun } });
    const receipts = detail.policyReceipts.filter((r) => r.type === "NOTIFICATION" && r.policyId === policy.id);
    expect(receipts.length).toBeGreaterThanOrEqual(5);
    expect(receipts.some((r) => r.outcome.includes("slack") && r.outcome.includes("webhook"))).toBe(true);

    const inbox = (await t.admin.call("listNotifications", {})).items;
    expect(inbox.some((i) => i.title === "prod failed" && i.body === "terraform init failed")).toBe(true);
    expect(inbox.some((i) => i.title.includes("no-such-hook") || i.body.includes("no-such-hook"))).toBe(true);
    await t.admin.call("deletePolicy", { params: { id: policy.id } });
  });

  it("a prod run waiting for approval sends a Slack message and a signed webhook; its failure reaches the webhook", async () => {
    const policy = await t.admin.call("createPolicy", {
      body: {
        name: "prod-approvals", type: "NOTIFICATION", labels: ["autoattach:env:prod"],
        body: `package spacelift
import rego.v1
slack contains {"channel_id": "C0PROD"} if input.run_updated.state == "UNCONFIRMED"`,
      },
    });
    const stack = await t.admin.call("createStack", { body: { name: "prod-approval", repository: "/srv/x.git", labels: ["env:prod"] } });
    const wh = await t.admin.call("createWebhook", { body: { name: "prod-approval-hook", stackId: stack.id, endpoint: hook.url, secret } });
    const slackBefore = slack.posted.length;
    const hookBefore = hook.received.length;
    const run = await t.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await planToUnconfirmed(w, run.id);
    await t.server.notificationsForTests!.drained();
    const posted = slack.posted.slice(slackBefore);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain(`Run ${run.id} of stack prod-approval is UNCONFIRMED`);
    expect(JSON.stringify(posted[0]!.blocks)).toContain("+1 ~0 -0");
    const waiting = hook.received.slice(hookBefore).find((r) => r.json.state === "UNCONFIRMED")!;
    expect(verifySignature(Buffer.from(secret), waiting)).toBe(true);

    // A person discards it; a retry fails: both reach the webhook.
    await t.admin.call("discardRun", { params: { id: run.id } });
    const retried = await t.admin.call("retryRun", { params: { id: run.id } });
    const job = await w.claimRun(retried.id);
    await w.report(job, "FAILED", { note: "provider crashed" });
    await t.server.notificationsForTests!.drained();
    const states = hook.received.slice(hookBefore).map((r) => `${(r.json.run as { id: string }).id === run.id ? "first" : "retry"}:${String(r.json.state)}`);
    expect(states).toContain("first:DISCARDED");
    expect(states).toContain("retry:FAILED");
    await t.admin.call("deleteWebhook", { params: { id: wh.id } });
    await t.admin.call("deletePolicy", { params: { id: policy.id } });
  });

  it("keeps the inbox per space and acknowledgements per person", async () => {
    await t.admin.call("createSpace", { body: { id: "team-a", name: "team-a" } });
    const stack = await t.admin.call("createStack", { body: { name: "team-a-app", spaceId: "team-a", repository: "/srv/x.git" } });
    const runId = await failingRun(t, w, stack.id);
    await t.server.notificationsForTests!.drained();
    const reader = await userWithRole(t, "inbox-reader", [{ spaceId: "team-a", role: "read" }]);
    const outsider = await userWithRole(t, "inbox-outsider", []);
    const mine = (await t.client(reader.key).call("listNotifications", {})).items;
    const msg = mine.find((i) => i.runId === runId)!;
    expect(msg).toMatchObject({ severity: "ERROR", spaceId: "team-a", acked: false });
    expect(mine.every((i) => i.spaceId === "team-a")).toBe(true);
    expect((await t.client(outsider.key).call("listNotifications", {})).items).toEqual([]);
    await expect(t.client(outsider.key).call("ackNotification", { params: { id: msg.id } })).rejects.toMatchObject({ status: 403 });
    expect((await t.client(reader.key).call("ackNotification", { params: { id: msg.id } })).acked).toBe(true);
    expect((await t.client(reader.key).call("listNotifications", { query: { unacked: "true" } })).items.some((i) => i.id === msg.id)).toBe(false);
    expect((await t.admin.call("listNotifications", { query: { unacked: "true" } })).items.some((i) => i.id === msg.id)).toBe(true);
  });

  it("serves Prometheus metrics to this machine", async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of ["gantry_runs{", "gantry_run_queue_depth", "gantry_workers{", "gantry_notification_delivery_attempts_total{", "gantry_http_request_duration_seconds_bucket{", "gantry_run_state_duration_seconds_bucket{", "gantry_notification_outbox{", "gantry_policy_evaluations_total{"]) {
      expect(text, name).toContain(name);
    }
    expect(text).toMatch(/gantry_runs\{state="FAILED",type="TRACKED"\} [1-9]/);
    if (dialect === "postgres") expect(text).toContain("gantry_db_pool_connections{");
  });
});

describe("outbound guard (sqlite)", () => {
  let t: TestServer;
  let hook: Receiver;
  beforeAll(async () => {
    t = await startTestServer("sqlite", { settings: { notifyMaxAttempts: 1 } });
    hook = await webhookReceiver();
  });
  afterAll(async () => {
    await hook?.close();
    await t?.stop();
  });

  it("refuses loopback receivers by address and by resolved name unless GANTRY_OUTBOUND_ALLOW admits them", async () => {
    const stack = await t.admin.call("createStack", { body: { name: "guarded", repository: "/srv/x.git" } });
    const byIp = await t.admin.call("createWebhook", { body: { name: "by-ip", stackId: stack.id, endpoint: hook.url } });
    const byName = await t.admin.call("createWebhook", { body: { name: "by-name", stackId: stack.id, endpoint: hook.url.replace("127.0.0.1", "localhost") } });
    const run = await t.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await t.admin.call("cancelRun", { params: { id: run.id } });
    await t.server.notificationsForTests!.drained();
    expect(hook.received).toHaveLength(0);
    for (const id of [byIp.id, byName.id]) {
      const d = await t.admin.call("listWebhookDeliveries", { params: { id } });
      expect(d.items.length).toBeGreaterThan(0);
      for (const x of d.items) {
        expect(x.status).toBe("FAILED");
        expect(x.attempts[0]!.error).toMatch(/GANTRY_OUTBOUND_ALLOW/);
      }
    }
  });

  it("answers /metrics with a token when one is configured", async () => {
    const s = await startTestServer("sqlite", { settings: { metricsToken: "scrape-token-0123456789" } });
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${s.url}/metrics`, { headers: { authorization: "Bearer scrape-token-0123456789" } })).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});
