import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { WorkerError } from "../errors.js";

/** The label Gantry puts on every object a stack applies: pruning and destroy find them by it. */
export const STACK_LABEL = "gantry.io/stack";
/** A ConfigMap the stack applies with this label set to "true" publishes its `data` as the stack's outputs. */
export const OUTPUTS_LABEL = "gantry.io/outputs";
/** Files the adapter writes into the project (archived with the workspace for a later apply). */
export const MANIFESTS_FILE = ".gantry-manifests.yaml";
export const PLAN_FILE = ".gantry-kubernetes-plan.json";

export type KubeObject = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string }; [k: string]: unknown };

const isManifest = (f: string) => /\.(ya?ml|json)$/.test(f) && !f.startsWith(".");

/** Whether the project is a kustomization (then `kubectl kustomize` renders it). */
export function isKustomization(project: string): boolean {
  return ["kustomization.yaml", "kustomization.yml", "Kustomization"].some((f) => statSync(join(project, f), { throwIfNoEntry: false })?.isFile());
}

/** Objects of YAML or JSON text: multi-document YAML, `List` kinds flattened, empty documents skipped. */
export function objectsOf(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new WorkerError("phase", `${source}: not valid YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJSON() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) throw new WorkerError("phase", `${source}: each document must be a Kubernetes object (a mapping with apiVersion and kind)`);
    const o = value as KubeObject;
    if (o.kind === "List" || (typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items))) out.push(...((o.items as KubeObject[]) ?? []));
    else out.push(o);
  }
  for (const o of out) if (!o.apiVersion || !o.kind || !o.metadata?.name) throw new WorkerError("phase", `${source}: an object lacks apiVersion, kind or metadata.name: every manifest object needs all three`);
  return out;
}

/** The manifest files of a plain project: the YAML and JSON files of the project root (not sub-directories). */
export function manifestFiles(project: string): string[] {
  return readdirSync(project)
    .filter((f) => isManifest(f) && statSync(join(project, f)).isFile())
    .sort();
}

export function readManifestFiles(project: string): KubeObject[] {
  return manifestFiles(project).flatMap((f) => objectsOf(readFileSync(join(project, f), "utf8"), f));
}

/** Labels an object as the stack's, so a later run can prune it and a destroy can find it. */
export function labelled(o: KubeObject, stackId: string): KubeObject {
  return { ...o, metadata: { ...o.metadata, labels: { ...(o.metadata?.labels ?? {}), [STACK_LABEL]: stackId } } };
}

/** `Deployment/default/web`, `Namespace/team-a`: how a plan names an object. */
export const addressOf = (o: KubeObject) => [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join("/");

/** What `kubectl delete` calls an object's type: `deployment.apps`, `configmap`. */
export function resourceTypeOf(o: KubeObject): string {
  const group = (o.apiVersion ?? "").includes("/") ? (o.apiVersion ?? "").split("/")[0] : "";
  return `${(o.kind ?? "").toLowerCase()}${group ? `.${group}` : ""}`;
}

/** Secret values never reach plan policies or their receipts. */
export function withoutSecretValues(o: KubeObject): KubeObject {
  if (o.kind !== "Secret") return o;
  const hide = (m: unknown) => (m && typeof m === "object" ? Object.fromEntries(Object.keys(m).map((k) => [k, "(sensitive value)"])) : m);
  return { ...o, ...(o.data ? { data: hide(o.data) } : {}), ...(o.stringData ? { stringData: hide(o.stringData) } : {}) };
}

/** The ConfigMaps that publish outputs (see {@link OUTPUTS_LABEL}), in a stable order. */
export function outputConfigMaps(objects: KubeObject[]): KubeObject[] {
  return objects
    .filter((o) => o.kind === "ConfigMap" && (o.apiVersion ?? "") === "v1" && o.metadata?.labels?.[OUTPUTS_LABEL] === "true")
    .sort((a, b) => addressOf(a).localeCompare(addressOf(b)));
}

/**
 * The stack's outputs: the `data` of its output ConfigMaps. Two of them publishing one key is
 * refused (returned as the reason), since which value wins would otherwise be an accident.
 */
export function outputsOf(configMaps: KubeObject[]): { outputs: Record<string, string>; conflict: string | null } {
  const outputs: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const o of outputConfigMaps(configMaps)) {
    for (const [k, v] of Object.entries((o.data as Record<string, unknown> | undefined) ?? {})) {
      if (k in from) return { outputs, conflict: `output ${JSON.stringify(k)} is published by both ${from[k]} and ${addressOf(o)}: keep each output key in one ConfigMap labelled ${OUTPUTS_LABEL}=true` };
      from[k] = addressOf(o);
      outputs[k] = String(v);
    }
  }
  return { outputs, conflict: null };
}
