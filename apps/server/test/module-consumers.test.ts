/**
 * What a published module version does, through the API and the worker protocol on both
 * dialects: consumers recorded from a run's init report, the impact of a publish (whose
 * constraint admits it), proposed runs queued by the module's `triggerConsumers` setting, a
 * TRIGGER policy auto-attached to the module by label (Spacelift's module version input), and
 * a pushed tag publishing by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type Repo } from "../../worker/test/fixtures.js";
import { dialects, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const vpc = (n: number) => ({ "modules/vpc/main.tf": `output "n" {\n  value = ${n}\n}\n` });

describe.each(dialects)("module consumers and publish impact (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let repo: Repo;
  let host: string;

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
    t = await startTestServer(dialect, { settings: { httpsPort: 0, registryHostAliases: "spacelift.io", workerHeartbeatTimeoutSeconds: 3600 } });
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
  afterAll(() => t?.stop());

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
});
