/**
 * What a published module version does, through the API and the worker protocol on both
 * dialects: consumers recorded from a run's init report, the impact of a publish (whose
 * constraint admits it), proposed runs queued by the module's `triggerConsumers` setting, a
 * TRIGGER policy auto-attached to the module by label (Spacelift's module version input), a
 * version that waits on its tests reacting (as its publisher) only once they pass, the
 * module_version NOTIFICATION input delivered to a webhook stand-in, and a pushed tag publishing
 * by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type Repo } from "../../worker/test/fixtures.js";
import { dialects, rawSql, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { webhookReceiver, type Receiver } from "./receivers.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const vpc = (n: number) => ({ "modules/vpc/main.tf": `output "n" {\n  value = ${n}\n}\n` });

describe.each(dialects)("module consumers and publish impact (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let repo: Repo;
  let host: string;
  let hook: Receiver;

  /** Plays a worker's init of a proposed run of `stackId` that resolved the given modules. */
  async function initWith(stackId: string, modules: { key: string; source: string; version: string; constraint: string | null }[]) {
    const run = await t.admin.call("createRun", { params: { id: stackId }, body: { type: "PROPOSED" } });
    const job = await w.claimRun(run.id);
    expect(job.registry).toMatchObject({ hosts: [host, "spacelift.io"], serviceUrl: t.server.httpsUrl });
    expect(job.registry!.caCertificatePem).toContain("BEGIN CERTIFICATE");
    await w.report(job, "INITIALIZING");
    const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/modules`, { token: job.runToken, body: JSON.stringify({ modules }) });
    expect(res.status, JSON.stringify(res.json)).toBe(204);
    await w.report(job, "FAILED", { note: "done with init" });
  }

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { httpsPort: 0, registryHostAliases: "spacelift.io", workerHeartbeatTimeoutSeconds: 3600, outboundAllow: "127.0.0.0/8" } });
    hook = await webhookReceiver();
    host = t.server.registry.host;
    w = await protocolWorker(t);
    repo = makeRepo(vpc(1));
    repo.git("tag", "v1.0.0");
    repo.commit(vpc(2));
    repo.git("tag", "v1.1.0");
    await t.admin.call("createSpace", { body: { id: "platform", name: "platform" } });
    await t.admin.call("createModule", { body: { id: "vpc", name: "vpc", terraformProvider: "aws", namespace: "acme", repository: repo.path, projectRoot: "modules/vpc", spaceId: "platform", labels: ["networking"] } });
    for (const id of ["pinned", "tilde", "alias", "other"]) await t.admin.call("createStack", { body: { id, name: id, spaceId: "platform", repository: "/srv/infra.git" } });
  });
  afterAll(async () => {
    await hook?.close();
    await t?.stop();
  });

  it("records what each stack's init resolved, replacing the previous report, ignoring other registries", async () => {
    await initWith("pinned", [{ key: "vpc", source: `${host}/acme/vpc/aws`, version: "1.0.0", constraint: "1.0.0" }]);
    await initWith("tilde", [
      { key: "net", source: `${host}/acme/vpc/aws`, version: "1.0.0", constraint: "~> 1.0" },
      { key: "public", source: "registry.terraform.io/terraform-aws-modules/vpc/aws", version: "5.0.0", constraint: "~> 5.0" },
    ]);
    await initWith("alias", [{ key: "vpc", source: "spacelift.io/acme/vpc/aws", version: "1.1.0", constraint: ">= 1.0, < 3.0" }]);
    await initWith("other", [{ key: "vpc", source: `${host}/acme/vpc/aws`, version: "1.0.0", constraint: null }]);
    await initWith("other", []);
    const { items } = await t.admin.call("listModuleConsumers", { params: { id: "vpc" } });
    expect(items.map((c) => [c.stackId, c.version, c.newerMatchingVersion])).toEqual([["alias", "1.1.0", null], ["pinned", "1.0.0", null], ["tilde", "1.0.0", "1.1.0"]]);
  });

  it("shows the impact of a publish and queues proposed runs of the consumers whose constraint admits it", async () => {
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { triggerConsumers: "PROPOSED" } });
    repo.commit(vpc(3));
    repo.git("tag", "v1.2.0");
    const r = await t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v1.2.0" } });
    const impact = r.impact[0]!;
    expect(impact.consumers.map((c) => [c.stackId, c.currentVersion, c.admits])).toEqual([["alias", "1.1.0", true], ["pinned", "1.0.0", false], ["tilde", "1.0.0", true]]);
    expect(impact.triggered.map((x) => [x.stackId, x.type, x.cause])).toEqual([["alias", "PROPOSED", "triggerConsumers"], ["tilde", "PROPOSED", "triggerConsumers"]]);
    for (const x of impact.triggered) {
      const run = await t.admin.call("getRun", { params: { id: x.runId } });
      expect(run).toMatchObject({ stackId: x.stackId, type: "PROPOSED" });
      expect(["QUEUED", "READY"]).toContain(run.state);
    }
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { triggerConsumers: "NONE" } });
  });

  it("evaluates TRIGGER policies auto-attached to the module with Spacelift's module version input", async () => {
    await t.admin.call("createPolicy", {
      body: {
        id: "module-trigger", name: "module trigger", type: "TRIGGER", spaceId: "platform", labels: ["autoattach:networking"],
        body: 'package spacelift\n\ntrigger contains "pinned" if {\n  input.module.name == "vpc"\n  input.module.namespace == "acme"\n  input.module.terraform_provider == "aws"\n  some stack in input.stacks\n  stack.project_root == ""\n}\n',
      },
    });
    repo.commit(vpc(4));
    repo.git("tag", "v1.3.0");
    const r = await t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v1.3.0" } });
    expect(r.impact[0]!.policyErrors).toEqual([]);
    expect(r.impact[0]!.triggered.map((x) => [x.stackId, x.type, x.cause])).toEqual([["pinned", "TRACKED", "policy:module-trigger"]]);
    // A publisher who cannot read (so write) the stack triggers nothing, and is told why.
    const writer = await userWithRole(t, "modwriter", [{ spaceId: "platform", role: "write" }]);
    await t.admin.call("createSpace", { body: { id: "locked-away", name: "locked away", parentSpaceId: "root" } });
    await t.admin.call("updateStack", { params: { id: "pinned" }, body: { spaceId: "locked-away" } });
    repo.commit(vpc(5));
    repo.git("tag", "v1.4.0");
    const denied = await t.client(writer.key).call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v1.4.0" } });
    expect(denied.impact[0]!.triggered).toEqual([]);
    expect(denied.impact[0]!.skipped.map((s) => s.stackId)).toEqual(["pinned"]);
    await t.admin.call("deletePolicy", { params: { id: "module-trigger" } });
  });

  it("publishes a pushed tag on the module's branch by itself, and ignores one that is not semver with a reason", async () => {
    repo.commit(vpc(6));
    repo.git("tag", "v1.5.0");
    repo.git("tag", "nightly");
    const sha = repo.git("rev-parse", "HEAD");
    await t.admin.call("notifyVcs", { body: { repository: repo.path, ref: "refs/tags/v1.5.0", before: "0".repeat(40), after: sha } });
    const versions = (await t.admin.call("listModuleVersions", { params: { id: "vpc" } })).items;
    expect(versions[0]).toMatchObject({ version: "1.5.0", commit: sha, tag: "v1.5.0" });
    expect(versions.map((v) => v.version)).not.toContain("nightly");
  });

  it("a version that waits on its tests reacts when they pass, as the person who published it; one that fails triggers nothing", async () => {
    // Events of earlier versions are fanned out before the NOTIFICATION policy exists.
    await t.server.notificationsForTests!.drained();
    const endpoint = await t.admin.call("createWebhook", { body: { id: "module-events", name: "module events", spaceId: "platform", endpoint: hook.url } });
    await t.admin.call("createPolicy", {
      body: {
        id: "module-notify", name: "module notify", type: "NOTIFICATION", spaceId: "platform", labels: ["autoattach:networking"],
        body: `package spacelift\n\nwebhook contains {"endpoint_id": "${endpoint.id}", "payload": input} if {\n  input.module_version.module.id == "vpc"\n}\n`,
      },
    });
    await t.admin.call("createPolicy", {
      body: { id: "module-trigger-pinned", name: "module trigger pinned", type: "TRIGGER", spaceId: "platform", labels: ["autoattach:networking"], body: 'package spacelift\n\ntrigger contains "pinned" if {\n  input.module.id == "vpc"\n}\n' },
    });
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { triggerConsumers: "PROPOSED" } });
    const tester = await userWithRole(t, "modtester", [{ spaceId: "platform", role: "write" }]);
    const withTests = (version: string) => ({ "modules/vpc/.spacelift/config.yml": `version: 1\nmodule_version: ${version}\ntests:\n  - name: smoke\n` });
    const runsOf = async (id: string) => (await t.admin.call("listStackRuns", { params: { id }, query: {} })).items.map((r) => r.id);
    const before = { alias: await runsOf("alias"), tilde: await runsOf("tilde") };

    repo.commit({ ...vpc(7), ...withTests("1.6.0") });
    const r = await t.client(tester.key).call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "main" } });
    expect(r.published[0]).toMatchObject({ version: "1.6.0", state: "PENDING", publishedBy: "modtester", impact: null });
    expect(r.impact).toEqual([]);
    expect(await runsOf("tilde")).toEqual(before.tilde);
    // The test passes: init, plan, apply, destroy.
    const job = await w.claimRun(r.published[0]!.tests[0]!.runId!);
    for (const to of ["INITIALIZING", "PLANNING"] as const) await w.report(job, to);
    expect((await w.plan(job, { added: 1, changed: 0, deleted: 0 })).next).toBe("APPLYING");
    await w.report(job, "DESTROYING");
    expect((await w.report(job, "FINISHED")).status).toBe(200);

    const passed = await t.admin.call("getModuleVersion", { params: { id: "vpc", version: "1.6.0" } });
    expect(passed.state).toBe("ACTIVE");
    const impact = passed.impact!;
    expect(impact.consumers.map((c) => [c.stackId, c.admits])).toEqual([["alias", true], ["pinned", false], ["tilde", true]]);
    expect(impact.triggered.map((x) => [x.stackId, x.type, x.cause])).toEqual([["alias", "PROPOSED", "triggerConsumers"], ["tilde", "PROPOSED", "triggerConsumers"]]);
    // The TRIGGER policy ran, as the publisher: who cannot read "pinned" (moved out of their reach above), though the admin could.
    expect(impact.skipped).toEqual([{ stackId: "pinned", reason: "stack pinned (named by TRIGGER policy module-trigger-pinned) does not exist or modtester cannot read it" }]);
    expect(impact.policyErrors).toEqual([]);
    for (const x of impact.triggered) expect(await t.admin.call("getRun", { params: { id: x.runId } })).toMatchObject({ stackId: x.stackId, type: "PROPOSED", triggeredBy: "modtester" });

    // A version whose test fails is FAILED and triggers nothing.
    const after = { alias: await runsOf("alias"), tilde: await runsOf("tilde") };
    repo.commit({ ...vpc(8), ...withTests("1.7.0") });
    const f = await t.client(tester.key).call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "main" } });
    const failing = await w.claimRun(f.published[0]!.tests[0]!.runId!);
    await w.report(failing, "INITIALIZING");
    await w.report(failing, "FAILED", { note: "terraform init failed" });
    expect(await t.admin.call("getModuleVersion", { params: { id: "vpc", version: "1.7.0" } })).toMatchObject({ state: "FAILED", impact: null });
    expect({ alias: await runsOf("alias"), tilde: await runsOf("tilde") }).toEqual(after);

    // module_version notifications: the version that passed, with Spacelift's input; never the failed one.
    await t.server.notificationsForTests!.drained();
    const delivered = hook.received.map((x) => x.json as { module_version: { version: { number: string } } });
    expect(delivered.map((d) => d.module_version.version.number)).toEqual(["1.6.0"]);
    expect(delivered[0]).toMatchObject({
      account: { name: "gantry" },
      webhook_endpoints: [{ id: "module-events", labels: [] }],
      module_version: {
        module: { administrative: false, branch: "main", id: "vpc", name: "vpc", namespace: "acme", project_root: "modules/vpc", repository: repo.path, terraform_provider: "aws" },
        version: {
          number: "1.6.0", state: "ACTIVE", latest: true, commit: { hash: passed.commit, branch: "main", author: passed.author, message: passed.message },
          test_runs: [{ id: job.runId, title: "smoke", state: "FINISHED", outcome: "PASSED" }],
        },
      },
    });

    // Published without tests: ACTIVE at once, and notified at once too.
    repo.commit(vpc(9), "no tests");
    repo.git("rm", "-q", "modules/vpc/.spacelift/config.yml");
    repo.git("commit", "-qm", "drop the tests");
    repo.git("tag", "v1.8.0");
    const direct = await t.client(tester.key).call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v1.8.0" } });
    expect(direct.published[0]).toMatchObject({ state: "ACTIVE", publishedBy: "modtester" });
    expect(direct.published[0]!.impact).toEqual(direct.impact[0]);
    await t.server.notificationsForTests!.drained();
    const last = hook.received.at(-1)!.json as { module_version: { version: { number: string; test_runs: unknown[]; latest: boolean } } };
    expect(last.module_version.version).toMatchObject({ number: "1.8.0", test_runs: [], latest: true });
    expect(hook.received).toHaveLength(2);
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { triggerConsumers: "NONE" } });
    for (const id of ["module-notify", "module-trigger-pinned"]) await t.admin.call("deletePolicy", { params: { id } });
  });
  it("reacts later, as its publisher, to an ACTIVE version whose reaction a stopped server never ran; leaves recent and older-Gantry versions alone", async () => {
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { triggerConsumers: "PROPOSED" } });
    repo.commit(vpc(10));
    repo.git("tag", "v1.9.0");
    const published = await t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v1.9.0" } });
    expect(published.impact[0]!.triggered.map((x) => x.stackId)).toEqual(["alias", "tilde"]);
    // The server "stopped" between the commit and the reaction: ACTIVE, no impact.
    await rawSql(t, "update module_versions set impact = null where version = '1.9.0'");
    // Just published: its request may still be reacting, so the recovery waits.
    await t.server.missedModuleReactionsForTests!.runNow();
    const current = async () => (await t.admin.call("listModuleVersions", { params: { id: "vpc" } })).items.find((v) => v.version === "1.9.0")!;
    expect((await current()).impact).toBeNull();
    // A version from before publishers were kept is not reacted to again.
    await rawSql(t, "update module_versions set impact = null, published_by = null, created_at = '2020-01-01T00:00:00.000Z' where version = '1.0.0'");
    await rawSql(t, "update module_versions set created_at = '2020-01-01T00:00:00.000Z' where version = '1.9.0'");
    await t.server.missedModuleReactionsForTests!.runNow();
    const recovered = (await current()).impact!;
    expect(recovered.triggered.map((x) => [x.stackId, x.type, x.cause])).toEqual([["alias", "PROPOSED", "triggerConsumers"], ["tilde", "PROPOSED", "triggerConsumers"]]);
    for (const x of recovered.triggered) expect(published.impact[0]!.triggered.map((p) => p.runId)).not.toContain(x.runId);
    expect((await t.admin.call("listModuleVersions", { params: { id: "vpc" } })).items.find((v) => v.version === "1.0.0")!.impact).toBeNull();
    // Reacted once: another round finds nothing to do.
    const runs = async () => (await t.admin.call("listStackRuns", { params: { id: "tilde" }, query: { limit: 100 } })).items.length;
    const before = await runs();
    await t.server.missedModuleReactionsForTests!.runNow();
    expect(await runs()).toBe(before);

    // A server that stopped during the reaction left its claim: a recent claim is left to its
    // owner, an old one is taken over and the reaction finished.
    const claim = (at: string) => rawSql(t, `update module_versions set impact = '{"claimedAt":"${at}"}' where version = '1.9.0'`);
    await claim(new Date().toISOString());
    await t.server.missedModuleReactionsForTests!.runNow();
    expect((await current()).impact).toBeNull();
    expect(await runs()).toBe(before);
    await claim("2020-01-01T00:05:00.000Z");
    await t.server.missedModuleReactionsForTests!.runNow();
    const retaken = (await current()).impact!;
    expect(retaken.triggered.map((x) => [x.stackId, x.type, x.cause])).toEqual([["alias", "PROPOSED", "triggerConsumers"], ["tilde", "PROPOSED", "triggerConsumers"]]);
    expect(await runs()).toBe(before + 1);
    await t.server.missedModuleReactionsForTests!.runNow();
    expect(await runs()).toBe(before + 1);
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { triggerConsumers: "NONE" } });
  });
});
