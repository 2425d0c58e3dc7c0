/**
 * A Kubernetes stack end to end: the real worker runs the real kubectl against the Kubernetes API
 * stand-in (test/kubernetes-api/), with the kubeconfig mounted as a write-only file. Proposed
 * runs only dry-run; a tracked run waits for an approval and a confirmation and then applies; a
 * plan policy refuses a Deployment without resource limits before anything reaches the cluster;
 * an object changed behind the stack's back is found by a drift check; an object removed from the
 * code is pruned; a destroy run deletes everything carrying the stack's label.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, waitForRun, type Repo } from "./fixtures.js";
import { startKubernetesStandIn, type KubernetesStandIn } from "./kubernetes-api/server.js";

const configMap = (greeting: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  greeting: ${greeting}
`;

const deployment = (limits: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
${limits ? "          resources:\n            limits: {cpu: 250m, memory: 128Mi}\n" : ""}`;

const limitsPolicy = `package spacelift
import rego.v1
deny contains sprintf("Deployment %s has a container without resource limits", [item.metadata.name]) if {
  some item in input.kubernetes.items
  item.kind == "Deployment"
  some c in item.spec.template.spec.containers
  not c.resources.limits
}`;

const approvalPolicy = `package spacelift
import rego.v1
approve if input.run.state == "QUEUED"
approve if count(input.reviews.current.approvals) >= 1
reject if count(input.reviews.current.rejections) > 0`;

describe("a Kubernetes stack with the real kubectl and the API stand-in", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let k8s: KubernetesStandIn;
  let repo: Repo;

  beforeAll(async () => {
    k8s = await startKubernetesStandIn();
    // Runs are started by hand: the VCS poller would add a tracked run of each new commit (held by
    // the approval policy) whenever a slow machine lets a minute pass, queueing later runs behind it.
    t = await startTestServer("sqlite", { settings: { vcsPollSeconds: 0 } });
    const dir = mkdtempSync(join(tmpdir(), "gantry-k8s-e2e-"));
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 1, workDir: join(dir, "worker"), claimWaitMs: 5000 });
    await worker.ready;
    repo = makeRepo({ "k8s/config.yaml": configMap("hello"), "k8s/web.yaml": deployment(true), "k8s/README.md": "not a manifest" });
    await t.admin.call("createPolicy", { body: { id: "k8s-limits", name: "k8s-limits", type: "PLAN", body: limitsPolicy, labels: ["autoattach:k8s"] } });
    await t.admin.call("createPolicy", { body: { id: "k8s-approval", name: "k8s-approval", type: "APPROVAL", body: approvalPolicy, labels: ["autoattach:k8s"] } });
    const stack = await t.admin.call("createStack", { body: { id: "web", name: "web", repository: repo.path, projectRoot: "k8s", labels: ["k8s"], vendor: "KUBERNETES", kubernetes: { namespace: "default" } } });
    expect(stack).toMatchObject({ vendor: "KUBERNETES", kubernetes: { namespace: "default", kubectlVersion: null }, ansible: null, manageState: false });
    await t.admin.call("putStackFile", { params: { id: "web" }, body: { relativePath: "kube/config", content: Buffer.from(k8s.kubeconfig()).toString("base64"), writeOnly: true } });
    await t.admin.call("putStackVariable", { params: { id: "web", name: "KUBECONFIG" }, body: { value: "kube/config", writeOnly: false } });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    await k8s?.close();
  });

  const run = async (type: "PROPOSED" | "TRACKED" | "DESTROY", until?: Parameters<typeof waitForRun>[2]) => waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "web" }, body: { type } })).id, until, 120_000);
  const writes = () => k8s.requests.filter((r) => !r.dryRun && r.method !== "GET");

  it("plans with a dry run, applies after approval and confirmation, refuses a Deployment without limits, finds drift, prunes and destroys", async () => {
    // Proposed: the dry run and diff only; nothing is written to the cluster.
    const proposed = await run("PROPOSED");
    const proposedLog = await runLog(t.admin, proposed.id);
    expect(proposed.state, `${proposed.failureReason}\n${proposedLog}`).toBe("FINISHED");
    expect(proposed.delta).toMatchObject({ added: 2, changed: 0, deleted: 0 });
    expect(proposedLog).toContain("kubectl apply --server-side --field-manager=gantry");
    expect(proposedLog).toContain("+  name: web");
    expect(writes()).toEqual([]);
    expect(proposedLog).not.toContain(k8s.token);

    // Tracked: waits for a review, then a confirmation, then applies with the stack's label.
    const tracked = await run("TRACKED", ["UNCONFIRMED", "PENDING_REVIEW", "FAILED", "FINISHED"]);
    expect(tracked.state, tracked.failureReason ?? "").toBe("UNCONFIRMED");
    await t.admin.call("reviewRun", { params: { id: tracked.id }, body: { decision: "approve", note: "ship it" } });
    await t.admin.call("confirmRun", { params: { id: tracked.id } });
    const applied = await waitForRun(t.admin, tracked.id, undefined, 120_000);
    expect(applied.state, `${applied.failureReason}\n${await runLog(t.admin, applied.id)}`).toBe("FINISHED");
    const cm = k8s.objects("configmaps").get("default/app-config");
    expect(cm).toMatchObject({ data: { greeting: "hello" }, metadata: { labels: { "gantry.io/stack": "web" } } });
    expect(k8s.objects("deployments").get("default/web")?.metadata.labels).toEqual({ "gantry.io/stack": "web" });

    // Nothing changed: a plan finds nothing to do.
    const idle = await run("PROPOSED");
    expect(idle).toMatchObject({ state: "FINISHED", delta: { added: 0, changed: 0, deleted: 0 } });

    // Denied: a Deployment without limits fails at the plan policy; the cluster is untouched.
    repo.commit({ "k8s/web.yaml": deployment(false) }, "drop the limits");
    const before = writes().length;
    const denied = await run("TRACKED");
    expect(denied.state).toBe("FAILED");
    expect(denied.failureReason).toContain("Deployment web has a container without resource limits");
    expect(denied.policyReceipts.find((r) => r.type === "PLAN")).toMatchObject({ outcome: "deny" });
    expect(writes().length).toBe(before);
    repo.commit({ "k8s/web.yaml": deployment(true) }, "limits back");

    // Drift: someone edits the ConfigMap on the cluster.
    k8s.mutate("configmaps", "default/app-config", (o) => ((o.data as Record<string, string>).greeting = "tampered"));
    const check = await waitForRun(t.admin, (await t.admin.call("createDriftCheck", { params: { id: "web" } })).id, undefined, 120_000);
    expect(check.state, `${check.failureReason}\n${await runLog(t.admin, check.id)}`).toBe("FINISHED");
    expect(check).toMatchObject({ driftDetection: true, delta: { added: 0, changed: 1, deleted: 0 } });
    expect((await t.admin.call("getStack", { params: { id: "web" } })).drift).toMatchObject({ resources: ["ConfigMap/default/app-config"], runId: check.id });

    // Prune: the ConfigMap leaves the code, so the next tracked run deletes it.
    repo.git("rm", "--quiet", "k8s/config.yaml");
    repo.git("commit", "--quiet", "-m", "no more config");
    const prune = await run("TRACKED", ["UNCONFIRMED", "FAILED", "FINISHED"]);
    expect(prune).toMatchObject({ state: "UNCONFIRMED", delta: { added: 0, changed: 0, deleted: 1 } });
    await t.admin.call("reviewRun", { params: { id: prune.id }, body: { decision: "approve" } });
    await t.admin.call("confirmRun", { params: { id: prune.id } });
    expect((await waitForRun(t.admin, prune.id, undefined, 120_000)).state).toBe("FINISHED");
    expect(k8s.objects("configmaps").has("default/app-config")).toBe(false);
    expect(k8s.objects("deployments").has("default/web")).toBe(true);

    // Destroy: every object with the stack's label goes.
    const destroy = await run("DESTROY", ["UNCONFIRMED", "FAILED", "FINISHED"]);
    expect(destroy).toMatchObject({ state: "UNCONFIRMED", delta: { added: 0, changed: 0, deleted: 1 } });
    await t.admin.call("reviewRun", { params: { id: destroy.id }, body: { decision: "approve" } });
    await t.admin.call("confirmRun", { params: { id: destroy.id } });
    const destroyed = await waitForRun(t.admin, destroy.id, undefined, 120_000);
    expect(destroyed.state, `${destroyed.failureReason}\n${await runLog(t.admin, destroyed.id)}`).toBe("FINISHED");
    expect(k8s.objects("deployments").size).toBe(0);
  }, 400_000);

  it("renders a kustomization, and refuses a kubectl version the worker does not have", async () => {
    const kustomized = makeRepo({ "kustomization.yaml": "namePrefix: kz-\nresources:\n  - config.yaml\n", "config.yaml": configMap("hi") });
    await t.admin.call("createStack", { body: { id: "kz", name: "kz", repository: kustomized.path, kubernetes: { namespace: "default" } } });
    await t.admin.call("putStackFile", { params: { id: "kz" }, body: { relativePath: "kube/config", content: Buffer.from(k8s.kubeconfig()).toString("base64"), writeOnly: true } });
    await t.admin.call("putStackVariable", { params: { id: "kz", name: "KUBECONFIG" }, body: { value: "kube/config", writeOnly: false } });
    const planned = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "kz" }, body: { type: "PROPOSED" } })).id, undefined, 120_000);
    const log = await runLog(t.admin, planned.id);
    expect(planned.state, `${planned.failureReason}\n${log}`).toBe("FINISHED");
    expect(planned.delta).toMatchObject({ added: 1 });
    expect(log).toContain("$ kubectl kustomize .");
    expect(log).toContain("ConfigMap.default.kz-app-config");

    await t.admin.call("updateStack", { params: { id: "kz" }, body: { kubernetes: { namespace: "default", kubectlVersion: "1.0.0" } } });
    const pinned = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "kz" }, body: { type: "PROPOSED" } })).id, undefined, 120_000);
    expect(pinned.state).toBe("FAILED");
    expect(pinned.failureReason).toMatch(/kubectl 1\.0\.0 is not available on this worker \(it has v[0-9.]+.*\): put it at .*kubectl\/1\.0\.0\/kubectl, or change the stack's kubernetes\.kubectlVersion/);
  }, 300_000);
});
