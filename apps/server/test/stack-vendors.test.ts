/**
 * Stack vendors through the API on both dialects: the vendor and its settings block are stored
 * and handed to the worker in the job, terraform-only settings are refused on other vendors,
 * PULUMI and CLOUDFORMATION are refused with what an operator must do, and plan policies see the
 * vendor's document under its own key (input.kubernetes, input.ansible).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, type TestServer } from "./harness.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

describe.each(dialects)("stack vendors (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    w = await protocolWorker(t);
  });
  afterAll(() => t?.stop());

  const create = (body: Record<string, unknown>) => t.raw("POST", "/api/v1/stacks", { token: t.adminKey, body: JSON.stringify({ repository: "/srv/x.git", ...body }) });

  it("stores the vendor and its settings, and infers the vendor from the block sent", async () => {
    const k = await t.admin.call("createStack", { body: { name: "kube", repository: "/srv/x.git", vendor: "KUBERNETES", kubernetes: { namespace: "apps", kubectlVersion: "1.32.4" } } });
    expect(k).toMatchObject({ vendor: "KUBERNETES", kubernetes: { namespace: "apps", kubectlVersion: "1.32.4" }, ansible: null, pulumi: null, cloudformation: null, manageState: false });
    const a = await t.admin.call("createStack", { body: { name: "play", repository: "/srv/x.git", ansible: { playbook: "site.yml" } } });
    expect(a).toMatchObject({ vendor: "ANSIBLE", ansible: { playbook: "site.yml" }, kubernetes: null, manageState: false });
    const tf = await t.admin.call("createStack", { body: { name: "tf", repository: "/srv/x.git" } });
    expect(tf).toMatchObject({ vendor: "TERRAFORM", kubernetes: null, ansible: null, manageState: true });
    expect(await t.admin.call("getStack", { params: { id: "kube" } })).toMatchObject({ vendor: "KUBERNETES", kubernetes: { namespace: "apps" } });
    // An update keeps the block unless it sends a new one; a namespace alone resets the version.
    expect(await t.admin.call("updateStack", { params: { id: "kube" }, body: { description: "x" } })).toMatchObject({ kubernetes: { namespace: "apps", kubectlVersion: "1.32.4" } });
    expect(await t.admin.call("updateStack", { params: { id: "kube" }, body: { kubernetes: { namespace: "web" } } })).toMatchObject({ kubernetes: { namespace: "web", kubectlVersion: null } });
  });

  it("hands the vendor settings to the worker in the job", async () => {
    await t.admin.call("createStack", { body: { name: "job-kube", repository: "/srv/x.git", kubernetes: { namespace: "apps" } } });
    const run = await t.admin.call("createRun", { params: { id: "job-kube" }, body: { type: "PROPOSED" } });
    const job = await w.claimRun(run.id);
    expect(job).toMatchObject({ vendor: "KUBERNETES", kubernetes: { namespace: "apps", kubectlVersion: null }, ansible: null, stateBackend: null });
    await w.report(job, "FAILED", { note: "test done" });
  });

  it("refuses settings that do not fit the vendor, naming the field", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: "v1", vendor: "ANSIBLE" }, "ansible.playbook", "needs the playbook"],
      [{ name: "v2", vendor: "KUBERNETES", ansible: { playbook: "x.yml" } }, "ansible", "settings block of ANSIBLE stacks"],
      [{ name: "v3", kubernetes: {}, ansible: { playbook: "x.yml" } }, "ansible", "only one vendor settings block"],
      [{ name: "v4", vendor: "KUBERNETES", workflowTool: "OPEN_TOFU" }, "workflowTool", "does not run terraform"],
      [{ name: "v5", vendor: "KUBERNETES", terraformVersion: "1.11.4" }, "terraformVersion", "does not run terraform"],
      [{ name: "v6", vendor: "ANSIBLE", ansible: { playbook: "a.yml" }, manageState: true }, "manageState", "no Terraform state"],
      [{ name: "v7", vendor: "KUBERNETES", administrative: true }, "administrative", "does not run terraform"],
      [{ name: "v8", ansible: { playbook: "../escape.yml" } }, "ansible.playbook", "inside the project root"],
      [{ name: "v9", kubernetes: { namespace: "Not_A_Namespace" } }, "kubernetes.namespace", "namespace name"],
    ];
    for (const [body, path, text] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const err = (res.json as { error: { code: string; message: string; details: { issues: { path: (string | number)[]; message: string }[] } } }).error;
      expect(err.code).toBe("invalid");
      expect(err.details.issues.map((i) => i.path.join("."))).toContain(path);
      expect(err.message).toContain(text);
    }
    const listed = await t.admin.call("listStacks", { query: {} });
    expect(listed.items.map((s) => s.id)).not.toContain("v1");
    // Switching an existing terraform stack that keeps state to another vendor is refused too.
    await t.admin.call("createStack", { body: { name: "switch", repository: "/srv/x.git" } });
    const res = await t.raw("PATCH", "/api/v1/stacks/switch", { token: t.adminKey, body: JSON.stringify({ vendor: "KUBERNETES" }) });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json)).toContain("manageState");
  });

  it("refuses PULUMI and CLOUDFORMATION stacks with what an operator must add", async () => {
    const pulumi = await create({ name: "pu", vendor: "PULUMI", pulumi: { loginUrl: "s3://state", stackName: "dev" } });
    expect(pulumi.status).toBe(501);
    expect(pulumi.json).toMatchObject({ error: { code: "not_supported", message: expect.stringContaining("Pulumi engine is not installed on this Gantry's workers") } });
    expect((pulumi.json as { error: { message: string } }).error.message).toContain("worker");
    const cf = await create({ name: "cf", cloudformation: { entryTemplateFile: "main.yaml", region: "eu-west-1", stackName: "cf", templateBucket: "b" } });
    expect(cf.status).toBe(501);
    expect(cf.json).toMatchObject({ error: { code: "not_supported", message: expect.stringContaining("AWS") } });
    const switched = await t.raw("PATCH", "/api/v1/stacks/tf", { token: t.adminKey, body: JSON.stringify({ vendor: "PULUMI" }) });
    expect(switched.status).toBe(501);
  });

  it("gives plan policies the vendor's document under its own key", async () => {
    const policy = `package spacelift
import rego.v1
deny contains sprintf("k8s: %s", [c.address]) if { some c in input.kubernetes.changes }
deny contains sprintf("ansible: %s", [c.address]) if { some c in input.ansible.changes }
deny contains "terraform key present" if { input.terraform }`;
    await t.admin.call("createPolicy", { body: { id: "vendor-keys", name: "vendor-keys", type: "PLAN", body: policy, labels: ["autoattach:vendorkeys"] } });
    const docs = {
      KUBERNETES: { items: [], changes: [{ address: "ConfigMap/default/c", action: "create" }] },
      ANSIBLE: { plays: [], stats: {}, changes: [{ address: "localhost/write motd", action: "update" }] },
    };
    for (const [vendor, doc] of Object.entries(docs)) {
      const id = `keys-${vendor.toLowerCase()}`;
      await t.admin.call("createStack", { body: { id, name: id, repository: "/srv/x.git", labels: ["vendorkeys"], vendor: vendor as "KUBERNETES", ...(vendor === "ANSIBLE" ? { ansible: { playbook: "site.yml" } } : {}) } });
      const run = await t.admin.call("createRun", { params: { id }, body: { type: "PROPOSED" } });
      const job = await w.claimRun(run.id);
      await w.report(job, "INITIALIZING");
      await w.report(job, "PLANNING");
      const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 0, deleted: 0 }, planJson: JSON.stringify(doc) }) });
      expect(res.json).toMatchObject({ next: "FAILED", reason: `denied by plan policy: vendor-keys: ${vendor === "KUBERNETES" ? "k8s: ConfigMap/default/c" : "ansible: localhost/write motd"}` });
    }
  });

  it("fills the vendor-neutral input.spacelift.run.changes from each vendor's plan, so one policy guards them all", async () => {
    // Written once, for every vendor: a protected entity may not change, and nothing may be deleted.
    const policy = `package spacelift
import rego.v1
protected := {"aws_iam_user.admin", "Deployment/default/web", "db1"}
deny contains sprintf("%s %s %s (%s %s, type %s)", [c.entity.entity_vendor, c.action, c.entity.address, c.entity.entity_type, c.phase, c.entity.type]) if {
  some c in input.spacelift.run.changes
  protected[c.entity.address]
}
deny contains sprintf("no deletions: %s", [c.entity.address]) if {
  some c in input.spacelift.run.changes
  c.action == "deleted"
}
deny contains sprintf("data of %s: %s", [c.entity.address, json.marshal(c.entity.data)]) if {
  some c in input.spacelift.run.changes
  c.entity.name == "show-data"
}`;
    await t.admin.call("createPolicy", { body: { id: "neutral", name: "neutral", type: "PLAN", body: policy, labels: ["autoattach:neutral"] } });
    const terraform = {
      format_version: "1.2",
      resource_changes: [
        { address: "aws_iam_user.admin", mode: "managed", type: "aws_iam_user", name: "admin", provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: ["update"], before: { name: "a" }, after: { name: "b" } } },
        { address: "aws_s3_bucket.logs", mode: "managed", type: "aws_s3_bucket", name: "logs", provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: ["delete"], before: { bucket: "logs" }, after: null } },
        { address: "aws_s3_bucket.same", mode: "managed", type: "aws_s3_bucket", name: "same", provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: ["no-op"], before: {}, after: {} } },
        { address: "module.m.null_resource.show-data", module_address: "module.m", mode: "managed", type: "null_resource", name: "show-data", provider_name: "registry.terraform.io/hashicorp/null", change: { actions: ["create"], before: null, after: { triggers: { a: "1" } } } },
      ],
    };
    const kubernetes = {
      items: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec: { replicas: 2 } }],
      deletions: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "old", namespace: "default" } }],
      changes: [
        { address: "Deployment/default/web", action: "update", apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web" },
        { address: "ConfigMap/default/old", action: "delete", apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "old" },
      ],
    };
    const ansible = {
      plays: [], stats: {},
      changes: [
        { address: "db1/write sudoers", action: "update", host: "db1", play: "p", task: "write sudoers", module: "ansible.builtin.lineinfile", args: { path: "/etc/sudoers" }, diff: [] },
        { address: "show-data/write motd", action: "update", host: "show-data", play: "p", task: "write motd", module: "ansible.builtin.copy", args: { dest: "/etc/motd" }, diff: [] },
      ],
      hosts_changing: ["db1", "show-data"],
    };
    const cases = [
      { vendor: "TERRAFORM", doc: terraform, expected: [
        "neutral: data of module.m.null_resource.show-data: {\"address\":\"module.m.null_resource.show-data\",\"mode\":\"managed\",\"module\":\"module.m\",\"provider\":\"registry.terraform.io/hashicorp/null\",\"tainted\":false,\"values\":{\"triggers\":{\"a\":\"1\"}}}",
        "neutral: no deletions: aws_s3_bucket.logs",
        "neutral: terraform changed aws_iam_user.admin (resource plan, type aws_iam_user)",
      ] },
      { vendor: "KUBERNETES", doc: kubernetes, expected: ["neutral: kubernetes changed Deployment/default/web (resource plan, type Deployment)", "neutral: no deletions: ConfigMap/default/old"] },
      { vendor: "ANSIBLE", doc: ansible, expected: [
        "neutral: ansible changed db1 (resource plan, type ansible_host)",
        "neutral: data of show-data: {\"host\":\"show-data\",\"tasks\":[{\"args\":{\"dest\":\"/etc/motd\"},\"diff\":[],\"module\":\"ansible.builtin.copy\",\"play\":\"p\",\"task\":\"write motd\"}]}",
      ] },
    ];
    for (const { vendor, doc, expected } of cases) {
      const id = `neutral-${vendor.toLowerCase()}`;
      await t.admin.call("createStack", { body: { id, name: id, repository: "/srv/x.git", labels: ["neutral"], vendor: vendor as "KUBERNETES", ...(vendor === "ANSIBLE" ? { ansible: { playbook: "site.yml" } } : {}) } });
      const run = await t.admin.call("createRun", { params: { id }, body: { type: "PROPOSED" } });
      const job = await w.claimRun(run.id);
      await w.report(job, "INITIALIZING");
      await w.report(job, "PLANNING");
      const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 1, deleted: 1 }, planJson: JSON.stringify(doc) }) });
      expect(res.json, vendor).toMatchObject({ next: "FAILED" });
      const reason = (res.json as { reason: string }).reason;
      expect(reason.replace(/^denied by plan policy: /, "").split("; ").sort(), vendor).toEqual(expected);
    }
  });

  it("gives approval policies the run's changes once it is planned", async () => {
    const policy = `package spacelift
import rego.v1
approve if input.run.state == "QUEUED"
reject if {
  some c in input.run.changes
  c.action == "deleted"
}
approve if {
  input.run.state == "UNCONFIRMED"
  count(input.run.changes) > 0
}`;
    await t.admin.call("createPolicy", { body: { id: "no-deletes", name: "no-deletes", type: "APPROVAL", body: policy, labels: ["autoattach:reviewed"] } });
    await t.admin.call("createStack", { body: { id: "reviewed", name: "reviewed", repository: "/srv/x.git", labels: ["reviewed"], kubernetes: { namespace: "default" } } });
    const plan = async (changes: { action: string }[]) => {
      const run = await t.admin.call("createRun", { params: { id: "reviewed" }, body: { type: "TRACKED" } });
      const job = await w.claimRun(run.id);
      await w.report(job, "INITIALIZING");
      await w.report(job, "PLANNING");
      const doc = { items: [], deletions: [], changes: changes.map((c, i) => ({ address: `ConfigMap/default/c${i}`, kind: "ConfigMap", name: `c${i}`, ...c })) };
      const res = await t.raw("POST", `/api/v1/worker/runs/${run.id}/plan`, { token: job.runToken, body: JSON.stringify({ delta: { added: 1, changed: 0, deleted: 1 }, planJson: JSON.stringify(doc) }) });
      return { id: run.id, res: res.json as { next: string; reason: string | null } };
    };
    const deleting = await plan([{ action: "create" }, { action: "delete" }]);
    expect(deleting.res).toMatchObject({ next: "DISCARDED", reason: "rejected by an approval policy" });
    const adding = await plan([{ action: "create" }]);
    expect(adding.res.next).toBe("UNCONFIRMED");
    const detail = await t.admin.call("getRun", { params: { id: adding.id } });
    expect(detail.approvals).toMatchObject([{ policyId: "no-deletes", outcome: "approve" }]);
    await t.admin.call("discardRun", { params: { id: adding.id } });
  });
});
