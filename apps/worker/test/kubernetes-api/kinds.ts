import type { Cause } from "./status.js";

/** A stored object: plain JSON as the API returns it. */
export type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

/** One resource the stand-in serves, with the validation and defaults the real apiserver applies. */
export interface Kind {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name in URLs. */
  resource: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** The top-level fields the type has (strict field validation refuses others). */
  fields: string[];
  validate(o: Obj): Cause[];
  /** Fills the defaults the apiserver sets on create (so dry runs show them). */
  defaults(o: Obj): void;
}

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function nameCauses(o: Obj, pattern: RegExp, max: number, what: string): Cause[] {
  const name = o.metadata.name;
  if (typeof name !== "string" || name === "") return [{ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" }];
  if (name.length > max || !pattern.test(name)) return [{ reason: "FieldValueInvalid", message: `Invalid value: "${name}": a ${what} must consist of lower case alphanumeric characters or '-'`, field: "metadata.name" }];
  return [];
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const required = (field: string): Cause => ({ reason: "FieldValueRequired", message: "Required value", field });

function containerCauses(spec: Record<string, unknown> | undefined, at: string): Cause[] {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${at}.containers`)];
  const causes: Cause[] = [];
  containers.forEach((c, i) => {
    const cc = obj(c) ?? {};
    if (typeof cc.name !== "string" || !label.test(cc.name)) causes.push(required(`${at}.containers[${i}].name`));
    if (typeof cc.image !== "string" || cc.image.trim() === "") causes.push(required(`${at}.containers[${i}].image`));
  });
  return causes;
}

const common = ["apiVersion", "kind", "metadata"];

export const kinds: Kind[] = [
  {
    group: "", version: "v1", kind: "Namespace", resource: "namespaces", singular: "namespace", shortNames: ["ns"], namespaced: false,
    fields: [...common, "spec", "status"],
    validate: (o) => nameCauses(o, label, 63, "lowercase RFC 1123 label"),
    defaults: (o) => {
      o.spec = { finalizers: ["kubernetes"], ...obj(o.spec) };
      o.status = { phase: "Active" };
    },
  },
  {
    group: "", version: "v1", kind: "ConfigMap", resource: "configmaps", singular: "configmap", shortNames: ["cm"], namespaced: true,
    fields: [...common, "data", "binaryData", "immutable"],
    validate: (o) => {
      const causes = nameCauses(o, subdomain, 253, "lowercase RFC 1123 subdomain");
      for (const [k, v] of Object.entries(obj(o.data) ?? {})) if (typeof v !== "string") causes.push({ reason: "FieldValueInvalid", message: "Invalid value: must be a string", field: `data[${k}]` });
      return causes;
    },
    defaults: () => undefined,
  },
  {
    group: "", version: "v1", kind: "Service", resource: "services", singular: "service", shortNames: ["svc"], namespaced: true,
    fields: [...common, "spec", "status"],
    validate: (o) => {
      const causes = nameCauses(o, label1035, 63, "DNS-1035 label");
      const spec = obj(o.spec);
      const ports = spec?.ports;
      if (spec?.type !== "ExternalName" && (!Array.isArray(ports) || ports.length === 0)) causes.push(required("spec.ports"));
      if (Array.isArray(ports)) ports.forEach((p, i) => typeof obj(p)?.port !== "number" && causes.push({ reason: "FieldValueInvalid", message: "Invalid value: 0: must be between 1 and 65535, inclusive", field: `spec.ports[${i}].port` }));
      return causes;
    },
    defaults: (o) => {
      const spec = (o.spec = { type: "ClusterIP", sessionAffinity: "None", ...obj(o.spec) }) as Record<string, unknown>;
      if (spec.type === "ClusterIP" && !spec.clusterIP) spec.clusterIP = `10.96.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
      o.status = { loadBalancer: {} };
    },
  },
  {
    group: "apps", version: "v1", kind: "Deployment", resource: "deployments", singular: "deployment", shortNames: ["deploy"], namespaced: true,
    fields: [...common, "spec", "status"],
    validate: (o) => {
      const causes = nameCauses(o, subdomain, 253, "lowercase RFC 1123 subdomain");
      const spec = obj(o.spec);
      const selector = obj(obj(spec?.selector)?.matchLabels);
      if (!selector) causes.push(required("spec.selector"));
      const template = obj(spec?.template);
      const labels = obj(obj(template?.metadata)?.labels) ?? {};
      if (selector && !Object.entries(selector).every(([k, v]) => labels[k] === v)) causes.push({ reason: "FieldValueInvalid", message: "Invalid value: selector does not match template labels", field: "spec.template.metadata.labels" });
      causes.push(...containerCauses(obj(template?.spec), "spec.template.spec"));
      return causes;
    },
    defaults: (o) => {
      o.spec = { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }, ...obj(o.spec) };
    },
  },
  {
    // Not among the kinds Gantry once pruned from a fixed list: pruning must find it by discovery.
    group: "policy", version: "v1", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets", singular: "poddisruptionbudget", shortNames: ["pdb"], namespaced: true,
    fields: [...common, "spec", "status"],
    validate: (o) => {
      const causes = nameCauses(o, subdomain, 253, "lowercase RFC 1123 subdomain");
      const spec = obj(o.spec) ?? {};
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) causes.push({ reason: "FieldValueInvalid", message: "Invalid value: minAvailable and maxUnavailable cannot be both set", field: "spec" });
      return causes;
    },
    defaults: (o) => {
      o.status = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0, observedGeneration: 1 };
    },
  },
];

export const groupVersion = (k: Pick<Kind, "group" | "version">) => (k.group ? `${k.group}/${k.version}` : k.version);
