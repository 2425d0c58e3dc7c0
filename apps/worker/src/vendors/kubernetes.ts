import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { KubernetesSettings, RunDelta } from "@gantry/contract";
import { stringify } from "yaml";
import { WorkerError } from "../errors.js";
import { exec } from "../exec.js";
import { addressOf, isKustomization, labelled, MANIFESTS_FILE, objectsOf, OUTPUTS_LABEL, outputsOf, PLAN_FILE, readManifestFiles, resourceTypeOf, STACK_LABEL, withoutSecretValues, type KubeObject } from "./kubernetes-manifests.js";
import type { PlanResult, VendorAdapter, VendorRun } from "./vendor.js";

const FIELD_MANAGER = "gantry";

/** Whether Gantry's server-side apply wrote the object (a server that tracks no managed fields: assume so, it carries the label). */
const appliedByGantry = (o: KubeObject) => {
  const managed = (o.metadata as { managedFields?: { manager?: string }[] } | undefined)?.managedFields;
  return !managed?.length || managed.some((m) => m.manager === FIELD_MANAGER);
};

type Action = "create" | "update" | "delete";
interface Change { address: string; action: Action; apiVersion: string; kind: string; namespace: string | null; name: string }
interface SavedPlan { deletions: KubeObject[] }

/**
 * Kubernetes stacks with the real kubectl: the project's manifests (or kustomization) are labelled
 * with the stack, previewed with a server-side dry run and `kubectl diff`, applied with
 * server-side apply, and the stack's objects no longer in the code are pruned; destroy deletes
 * every object carrying the stack's label. Policies see `input.kubernetes`.
 */
export function kubernetesAdapter(run: VendorRun, settings: KubernetesSettings, toolsDir?: string): VendorAdapter {
  const { job, project, log, signal } = run;
  const pinned = settings.kubectlVersion && toolsDir ? join(toolsDir, "kubectl", settings.kubectlVersion, "kubectl") : undefined;
  const bin = pinned && existsSync(pinned) ? pinned : "kubectl";
  const ns = settings.namespace ? ["--namespace", settings.namespace] : [];
  const env = () => {
    const e = { ...run.env() };
    // A kubeconfig mounted from a context is named relative to the workspace.
    if (e.KUBECONFIG && !isAbsolute(e.KUBECONFIG)) e.KUBECONFIG = join(run.workspace, e.KUBECONFIG);
    return e;
  };
  const kubectl = async (args: string[], opts: { capture?: boolean; okCodes?: number[] } = {}) => {
    // Captured commands are logged too: their output becomes the plan, the command explains it.
    log.write(`$ kubectl ${args.join(" ")}\n`);
    const r = await exec(bin, args, { cwd: project, env: env(), log, signal, capture: opts.capture ?? false });
    if (!(opts.okCodes ?? [0]).includes(r.code)) throw new WorkerError("phase", `kubectl ${args[0]} exited with code ${r.code}: see the log above`);
    return r;
  };
  const items = (json: string): KubeObject[] => (json.trim() ? objectsOf(json, "kubectl output") : []);

  async function rendered(): Promise<KubeObject[]> {
    if (isKustomization(project)) return objectsOf((await kubectl(["kustomize", "."], { capture: true })).stdout, "kustomize output");
    return readManifestFiles(project);
  }

  /**
   * The objects this stack applied that are still on the cluster: every kind the cluster serves
   * (discovery: whatever can be listed and deleted, custom resources included) is searched for the
   * stack's label, and an object counts only if Gantry's field manager applied it. A controller
   * that copies labels onto what it makes (a Service's Endpoints) would otherwise have its objects
   * pruned and recreated at every run.
   */
  async function live(): Promise<KubeObject[]> {
    const kinds = [...new Set((await kubectl(["api-resources", "--verbs=list,delete", "-o", "name"], { capture: true })).stdout.split("\n").map((l) => l.trim()).filter(Boolean))];
    if (!kinds.length) return [];
    const found = items((await kubectl(["get", kinds.join(","), "--all-namespaces", "-l", `${STACK_LABEL}=${job.stackId}`, "--show-managed-fields", "-o", "json"], { capture: true })).stdout);
    // One object served under two group-versions (events, events.events.k8s.io) is listed twice.
    const unique = new Map(found.filter(appliedByGantry).map((o) => [addressOf(o), o]));
    return [...unique.values()];
  }

  return {
    async init() {
      const version = JSON.parse((await kubectl(["version", "--client", "-o", "json"], { capture: true })).stdout) as { clientVersion?: { gitVersion?: string } };
      const have = version.clientVersion?.gitVersion ?? "unknown";
      log.info(`kubectl ${have}${settings.namespace ? `, namespace ${settings.namespace}` : ""}${run.env().KUBECONFIG ? "" : " (no KUBECONFIG in the stack's environment: the worker's default kubeconfig is used)"}`);
      if (settings.kubectlVersion && !new RegExp(`^v${settings.kubectlVersion.replace(/\./g, "\\.")}(?![0-9.])`).test(have)) {
        throw new WorkerError("binary", `kubectl ${settings.kubectlVersion} is not available on this worker (it has ${have}): put it at ${join(toolsDir ?? "<tools dir>", "kubectl", settings.kubectlVersion, "kubectl")}, or change the stack's kubernetes.kubectlVersion`);
      }
    },

    async plan(destroy): Promise<PlanResult> {
      const desired = destroy ? [] : (await rendered()).map((o) => labelled(o, job.stackId));
      const { conflict } = outputsOf(desired);
      if (conflict) throw new WorkerError("phase", conflict);
      // One YAML document per object: kubectl validates each object (a `List` wrapper would be
      // validated as a type of its own, which servers do not all describe).
      writeFileSync(join(project, MANIFESTS_FILE), desired.map((o) => stringify(o)).join("---\n"));
      const dry = desired.length ? items((await kubectl(["apply", "--server-side", `--field-manager=${FIELD_MANAGER}`, "--force-conflicts", "--dry-run=server", ...ns, "-o", "json", "-f", MANIFESTS_FILE], { capture: true })).stdout) : [];
      // kubectl diff: 0 no differences, 1 differences, anything else an error. The log shows it.
      if (desired.length) await kubectl(["diff", "--server-side", `--field-manager=${FIELD_MANAGER}`, "--force-conflicts", ...ns, "-f", MANIFESTS_FILE], { okCodes: [0, 1] });
      const current = new Map((await live()).map((o) => [addressOf(o), o]));
      const changes: Change[] = [];
      const changed: KubeObject[] = [];
      const describe = (o: KubeObject, action: Action): Change => ({ address: addressOf(o), action, apiVersion: o.apiVersion ?? "", kind: o.kind ?? "", namespace: o.metadata?.namespace ?? null, name: o.metadata?.name ?? "" });
      for (const o of dry) {
        const before = current.get(addressOf(o));
        current.delete(addressOf(o));
        // A server-side apply that changes nothing keeps the object's resourceVersion.
        if (before && before.metadata?.resourceVersion === o.metadata?.resourceVersion) continue;
        changes.push(describe(o, before ? "update" : "create"));
        changed.push(withoutSecretValues(o));
      }
      // Namespaces go last, so the objects in them are deleted by name first.
      const deletions = [...current.values()].sort((a, b) => Number(a.kind === "Namespace") - Number(b.kind === "Namespace"));
      for (const o of deletions) {
        changes.push(describe(o, "delete"));
        log.info(`${addressOf(o)} carries this stack's label but is not in the code: it will be deleted`);
      }
      const saved: SavedPlan = { deletions: deletions.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace } })) };
      writeFileSync(join(project, PLAN_FILE), JSON.stringify(saved));
      const count = (a: Action) => changes.filter((c) => c.action === a).length;
      const delta: RunDelta = { added: count("create"), changed: count("update"), deleted: count("delete"), outputs: 0 };
      log.info(`plan: ${delta.added} to create, ${delta.changed} to change, ${delta.deleted} to delete`);
      const document = { items: changed, deletions: deletions.map(withoutSecretValues), changes };
      return { earlyApply: false, document: Promise.resolve({ planJson: JSON.stringify(document), delta }) };
    },

    async apply() {
      const desired = objectsOf(readFileSync(join(project, MANIFESTS_FILE), "utf8"), MANIFESTS_FILE);
      if (desired.length) await kubectl(["apply", "--server-side", `--field-manager=${FIELD_MANAGER}`, "--force-conflicts", ...ns, "-f", MANIFESTS_FILE]);
      const { deletions } = JSON.parse(readFileSync(join(project, PLAN_FILE), "utf8")) as SavedPlan;
      for (const o of deletions) {
        const where = o.metadata?.namespace ? ["--namespace", o.metadata.namespace] : [];
        await kubectl(["delete", `${resourceTypeOf(o)}/${o.metadata?.name}`, ...where, "--ignore-not-found", "--wait=false"]);
      }
    },

    async outputs() {
      // Read back from the cluster, not the manifests: the values the objects really hold now.
      const selector = `${STACK_LABEL}=${job.stackId},${OUTPUTS_LABEL}=true`;
      const { outputs, conflict } = outputsOf(items((await kubectl(["get", "configmaps", "--all-namespaces", "-l", selector, "-o", "json"], { capture: true })).stdout));
      if (conflict) throw new WorkerError("phase", conflict);
      log.info(`outputs (ConfigMaps labelled ${OUTPUTS_LABEL}=true): ${Object.keys(outputs).sort().join(", ") || "none"}`);
      return outputs;
    },

    savedPlan() {
      return Buffer.concat([readFileSync(join(project, MANIFESTS_FILE)), Buffer.from("\n"), readFileSync(join(project, PLAN_FILE))]);
    },
  };
}
