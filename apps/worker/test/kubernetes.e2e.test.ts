/**
 * A Kubernetes stack end to end: the real worker runs the real kubectl against the Kubernetes API
 * stand-in (test/kubernetes-api/), with the kubeconfig mounted as a write-only file. Proposed
 * runs only dry-run; a tracked run waits for an approval and a confirmation and then applies; a
 * plan policy refuses a Deployment without resource limits before anything reaches the cluster;
 * an object changed behind the stack's back is found by a drift check; objects removed from the
 * code are pruned, whatever their kind (found by discovery), but never one another field manager
 * made; a ConfigMap labelled as outputs gives the stack outputs a dependent stack reads; a destroy
 * run deletes everything the stack applied.
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

/** A kind outside the list Gantry once pruned from: discovery must find it. */
const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-pdb
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
`;

const outputs = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-outputs
  labels: {gantry.io/outputs: "true"}
data:
  url: http://web.default.svc
`;

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
    repo = makeRepo({ "k8s/config.yaml": configMap("hello"), "k8s/web.yaml": deployment(true), "k8s/pdb.yaml": pdb, "k8s/outputs.yaml": outputs, "k8s/README.md": "not a manifest", "consumer/app.yaml": configMap("from the consumer").replace("app-config", "consumer-config") });
    await t.admin.call("createPolicy", { body: { id: "k8s-limits", name: "k8s-limits", type: "PLAN", body: limitsPolicy, labels: ["autoattach:k8s"] } });
    await t.admin.call("createPolicy", { body: { id: "k8s-approval", name: "k8s-approval", type: "APPROVAL", body: approvalPolicy, labels: ["autoattach:k8s"] } });
    const stack = await t.admin.call("createStack", { body: { id: "web", name: "web", repository: repo.path, projectRoot: "k8s", labels: ["k8s"], vendor: "KUBERNETES", kubernetes: { namespace: "default" } } });
    expect(stack).toMatchObject({ vendor: "KUBERNETES", kubernetes: { namespace: "default", kubectlVersion: null }, ansible: null, manageState: false });
    await t.admin.call("putStackFile", { params: { id: "web" }, body: { relativePath: "kube/config", content: Buffer.from(k8s.kubeconfig()).toString("base64"), writeOnly: true } });
    await t.admin.call("putStackVariable", { params: { id: "web", name: "KUBECONFIG" }, body: { value: "kube/config", writeOnly: false } });
    // A dependent stack reads the web stack's url output (applies on its own: no approval policy).
    await t.admin.call("createStack", { body: { id: "consumer", name: "consumer", repository: repo.path, projectRoot: "consumer", autodeploy: true, kubernetes: { namespace: "default" }, hooks: { beforeInit: ['echo "upstream url is $WEB_URL"'] } } });
    await t.admin.call("putStackFile", { params: { id: "consumer" }, body: { relativePath: "kube/config", content: Buffer.from(k8s.kubeconfig()).toString("base64"), writeOnly: true } });
    await t.admin.call("putStackVariable", { params: { id: "consumer", name: "KUBECONFIG" }, body: { value: "kube/config", writeOnly: false } });
    const dep = await t.admin.call("createStackDependency", { params: { id: "consumer" }, body: { dependsOnStackId: "web" } });
    await t.admin.call("createStackDependencyReference", { params: { id: "consumer" }, body: { dependencyId: dep.id, outputName: "url", inputName: "WEB_URL" } });
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
    expect(proposed.delta).toMatchObject({ added: 4, changed: 0, deleted: 0 });
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
    expect(k8s.objects("poddisruptionbudgets").has("default/web-pdb")).toBe(true);

    // Outputs: read back from the labelled ConfigMap; the dependent is triggered and gets them.
    expect(await t.admin.call("stackOutputs", { params: { id: "web" } })).toEqual({ url: "http://web.default.svc" });
    const deadline = Date.now() + 60_000;
    let consumerRuns = (await t.admin.call("listStackRuns", { params: { id: "consumer" }, query: {} })).items;
    while (consumerRuns.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      consumerRuns = (await t.admin.call("listStackRuns", { params: { id: "consumer" }, query: {} })).items;
    }
    expect(consumerRuns).toHaveLength(1);
    const consumed = await waitForRun(t.admin, consumerRuns[0]!.id, undefined, 120_000);
    const consumerLog = await runLog(t.admin, consumed.id);
    expect(consumed.state, `${consumed.failureReason}\n${consumerLog}`).toBe("FINISHED");
    expect(consumerLog).toContain("upstream url is http://web.default.svc");

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

    // An object carrying the stack's label that another field manager made (as a controller
    // copying labels would): not the stack's to prune or destroy.
    k8s.objects("configmaps").set("default/copied", {
      apiVersion: "v1", kind: "ConfigMap", data: {},
      metadata: { name: "copied", namespace: "default", labels: { "gantry.io/stack": "web" }, uid: "copied-uid", resourceVersion: "1", managedFields: [{ manager: "kube-controller-manager", operation: "Update", apiVersion: "v1" }] },
    });

    // Prune: the ConfigMap and the PodDisruptionBudget leave the code, so the next tracked run deletes them.
    repo.git("rm", "--quiet", "k8s/config.yaml", "k8s/pdb.yaml");
    repo.git("commit", "--quiet", "-m", "no more config");
    const prune = await run("TRACKED", ["UNCONFIRMED", "FAILED", "FINISHED"]);
    expect(prune, await runLog(t.admin, prune.id)).toMatchObject({ state: "UNCONFIRMED", delta: { added: 0, changed: 0, deleted: 2 } });
    await t.admin.call("reviewRun", { params: { id: prune.id }, body: { decision: "approve" } });
    await t.admin.call("confirmRun", { params: { id: prune.id } });
    expect((await waitForRun(t.admin, prune.id, undefined, 120_000)).state).toBe("FINISHED");
    expect(k8s.objects("configmaps").has("default/app-config")).toBe(false);
    expect(k8s.objects("poddisruptionbudgets").has("default/web-pdb")).toBe(false);
    expect(k8s.objects("deployments").has("default/web")).toBe(true);
    expect(k8s.objects("configmaps").has("default/copied")).toBe(true);

    // Destroy: every object with the stack's label goes.
    const destroy = await run("DESTROY", ["UNCONFIRMED", "FAILED", "FINISHED"]);
    expect(destroy).toMatchObject({ state: "UNCONFIRMED", delta: { added: 0, changed: 0, deleted: 2 } });
    await t.admin.call("reviewRun", { params: { id: destroy.id }, body: { decision: "approve" } });
    await t.admin.call("confirmRun", { params: { id: destroy.id } });
    const destroyed = await waitForRun(t.admin, destroy.id, undefined, 120_000);
    expect(destroyed.state, `${destroyed.failureReason}\n${await runLog(t.admin, destroyed.id)}`).toBe("FINISHED");
    expect(k8s.objects("deployments").size).toBe(0);
    expect(k8s.objects("configmaps").has("default/web-outputs")).toBe(false);
    expect(k8s.objects("configmaps").has("default/copied")).toBe(true);
    // The consumer's objects carry its own label: the web stack's destroy left them.
    expect(k8s.objects("configmaps").get("default/consumer-config")?.metadata.labels).toEqual({ "gantry.io/stack": "consumer" });
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
