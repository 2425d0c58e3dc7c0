/**
 * The Kubernetes API stand-in refuses what the apiserver refuses, seen through the real kubectl
 * and raw HTTPS: no token, a wrong content type, an unknown dry-run value, missing or invalid
 * fields, unknown fields under strict validation, a namespace that does not exist; a dry run
 * stores nothing and a no-op apply keeps the resourceVersion.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubernetesStandIn, type KubernetesStandIn } from "./server.js";

let k8s: KubernetesStandIn;
let dir: string;

beforeAll(async () => {
  k8s = await startKubernetesStandIn();
  dir = mkdtempSync(join(tmpdir(), "k8s-standin-test-"));
  writeFileSync(join(dir, "kubeconfig"), k8s.kubeconfig("default"));
});
afterAll(() => k8s?.close());

function kubectl(args: string[], manifest?: string): Promise<{ code: number; out: string }> {
  if (manifest !== undefined) writeFileSync(join(dir, "m.yaml"), manifest);
  return new Promise((resolve) => {
    execFile("kubectl", [...args, ...(manifest !== undefined ? ["-f", join(dir, "m.yaml")] : [])], { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, "kubeconfig") } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

function raw(method: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: { reason?: string; message?: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, k8s.url), { method, headers, ca: k8s.ca }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as { reason?: string } }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const cm = (name: string, extra = "") => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n${extra}`;

describe("the Kubernetes API stand-in", () => {
  it("refuses requests without the token, with a wrong content type or an unknown dry-run value", async () => {
    const auth = { authorization: `Bearer ${k8s.token}` };
    expect((await raw("GET", "/api/v1/namespaces", "", {})).status).toBe(401);
    expect((await raw("GET", "/api/v1/namespaces", "", { authorization: "Bearer wrong" })).status).toBe(401);
    const text = await raw("POST", "/api/v1/namespaces/default/configmaps", "name: x", { ...auth, "content-type": "text/plain" });
    expect(text).toMatchObject({ status: 415, json: { reason: "UnsupportedMediaType" } });
    const dry = await raw("POST", "/api/v1/namespaces/default/configmaps?dryRun=Some", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }), { ...auth, "content-type": "application/json" });
    expect(dry).toMatchObject({ status: 400, json: { reason: "BadRequest" } });
    const noManager = await raw("PATCH", "/api/v1/namespaces/default/configmaps/x", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }), { ...auth, "content-type": "application/apply-patch+yaml" });
    expect(noManager).toMatchObject({ status: 422, json: { reason: "Invalid" } });
    expect(noManager.json.message).toContain("fieldManager");
  });

  it("refuses invalid objects through kubectl as the apiserver does", async () => {
    const noSelector = await kubectl(["apply", "--server-side"], "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web}]\n");
    expect(noSelector.code).not.toBe(0);
    expect(noSelector.out).toContain('The Deployment "web" is invalid'); // kubectl rebuilds the message from the Status causes
    expect(noSelector.out).toContain("spec.selector: Required value");
    expect(noSelector.out).toContain("spec.template.spec.containers[0].image: Required value");
    const badName = await kubectl(["apply", "--server-side"], cm("Not_Valid"));
    expect(badName.out).toContain("metadata.name: Invalid value");
    const unknown = await kubectl(["apply", "--server-side"], cm("extra", "colour: red\n"));
    expect(unknown.code).not.toBe(0);
    expect(unknown.out).toContain('unknown field "colour"');
    const nowhere = await kubectl(["apply", "--server-side", "--namespace", "nowhere"], cm("lost"));
    expect(nowhere.out).toContain('namespaces "nowhere" not found');
    expect(k8s.objects("configmaps").size).toBe(0);
  });

  it("stores nothing on a dry run and keeps the resourceVersion of a no-op apply", async () => {
    const dry = await kubectl(["apply", "--server-side", "--dry-run=server"], cm("dry"));
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain("serverside-applied (server dry run)");
    expect(k8s.objects("configmaps").has("default/dry")).toBe(false);
    expect((await kubectl(["apply", "--server-side"], cm("kept"))).code).toBe(0);
    const rv = k8s.objects("configmaps").get("default/kept")?.metadata.resourceVersion;
    expect((await kubectl(["apply", "--server-side"], cm("kept"))).code).toBe(0);
    expect(k8s.objects("configmaps").get("default/kept")?.metadata.resourceVersion).toBe(rv);
    const listed = await kubectl(["get", "configmaps", "-l", "missing=label", "-o", "name"]);
    expect(listed.out.trim()).toBe("");
    expect((await kubectl(["delete", "configmap/kept"])).code).toBe(0);
    expect(k8s.objects("configmaps").has("default/kept")).toBe(false);
  });
});
