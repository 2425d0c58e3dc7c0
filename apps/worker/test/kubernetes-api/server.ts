/**
 * A Kubernetes API server stand-in for tests: no cluster can run on these machines, so the real
 * `kubectl` talks to this. It serves discovery, get/list (label selectors), create, server-side
 * apply, merge patch, delete, and dry runs for Namespace, ConfigMap, Service and Deployment,
 * keeping objects in memory, and refuses what the apiserver refuses (no token, wrong content
 * type, missing fields, invalid names, a namespace that does not exist or does not match, an
 * unknown dry-run value, unknown fields under strict validation). Where it ends: see
 * docs/vendors.md ("the Kubernetes API stand-in").
 */
import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import { groupVersion, kinds, type Kind, type Obj } from "./kinds.js";
import { ApiStatus, badRequest, invalid, notFound } from "./status.js";
import { discovery, openApiV3 } from "./discovery.js";

export interface KubernetesStandIn {
  url: string;
  token: string;
  /** The certificate the stand-in serves (its own CA), for clients other than kubectl. */
  ca: string;
  /** Every request, for tests that check what kubectl did. */
  requests: { method: string; path: string; dryRun: boolean }[];
  /** The stored objects of one kind, by "namespace/name" (cluster-scoped: "name"). */
  objects(resource: string): Map<string, Obj>;
  /** Changes an object behind the tool's back (drift), as another actor on the cluster would. */
  mutate(resource: string, key: string, change: (o: Obj) => void): void;
  kubeconfig(namespace?: string): string;
  close(): Promise<void>;
}

type Target = { kind: Kind; namespace: string | null; name: string | null };

const SERVER_FIELDS = ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"];
const stripServerFields = (o: Obj) => {
  const copy = structuredClone(o);
  for (const f of SERVER_FIELDS) delete copy.metadata[f];
  delete copy.status;
  return JSON.stringify(copy);
};

export async function startKubernetesStandIn(): Promise<KubernetesStandIn> {
  const token = `standin-${randomUUID()}`;
  const store = new Map<string, Map<string, Obj>>(kinds.map((k) => [k.resource, new Map()]));
  const requests: KubernetesStandIn["requests"] = [];
  let revision = 100;
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const bucket = (k: Kind) => store.get(k.resource)!;
  const keyOf = (k: Kind, ns: string | null, name: string) => (k.namespaced ? `${ns}/${name}` : name);
  for (const ns of ["default", "kube-system"]) bucket(kinds[0]!).set(ns, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, uid: randomUUID(), resourceVersion: String(++revision), creationTimestamp: now() }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });

  function route(path: string): Target | "discovery" {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/(.*))?$/.exec(path);
    if (!m) return "discovery";
    const group = m[2] ?? "";
    const version = m[1] ?? m[3]!;
    const rest = (m[4] ?? "").split("/").filter(Boolean);
    if (rest.length === 0) return "discovery";
    const find = (resource: string) => {
      const k = kinds.find((x) => x.group === group && x.version === version && x.resource === resource);
      if (!k) throw new ApiStatus(404, "NotFound", "the server could not find the requested resource");
      return k;
    };
    if (rest[0] === "namespaces" && rest.length >= 3) {
      const k = find(rest[2]!);
      if (!k.namespaced || rest.length > 4) throw new ApiStatus(404, "NotFound", "the server could not find the requested resource");
      return { kind: k, namespace: rest[1]!, name: rest[3] ?? null };
    }
    const k = find(rest[0]!);
    if (rest.length > 2 || (rest.length === 2 && k.namespaced)) throw new ApiStatus(404, "NotFound", "the server could not find the requested resource");
    return { kind: k, namespace: null, name: rest[1] ?? null };
  }

  function requireNamespace(ns: string | null) {
    if (ns !== null && !bucket(kinds[0]!).has(ns)) throw notFound("namespaces", "", ns);
  }

  function decode(req: IncomingMessage, body: string, allowed: string[]): Obj {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (!allowed.includes(type)) throw new ApiStatus(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${allowed.join(", ")}`);
    let doc: unknown;
    try {
      doc = type.endsWith("yaml") ? parseYaml(body) : JSON.parse(body);
    } catch (err) {
      throw badRequest(`error decoding ${type.endsWith("yaml") ? "YAML" : "JSON"}: ${(err as Error).message}`);
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw badRequest("the body of the request must be an object");
    const o = doc as Obj;
    if (!o.metadata || typeof o.metadata !== "object") o.metadata = {};
    return o;
  }

  /** Strict field validation (kubectl's default since 1.25 sends fieldValidation=Strict). */
  function checkFields(k: Kind, o: Obj, mode: string | null) {
    const unknown = Object.keys(o).filter((f) => !k.fields.includes(f));
    if (unknown.length && mode === "Strict") throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(", ")}`);
    if (mode !== null && !["Strict", "Warn", "Ignore"].includes(mode)) throw badRequest(`fieldValidation: Unsupported value: "${mode}": supported values: "Ignore", "Strict", "Warn"`);
  }

  /** Checks type, name and namespace agreement, validates, and returns what would be stored. */
  function admit(t: Target, o: Obj, existing: Obj | undefined, manager: string, operation: "Apply" | "Update"): Obj {
    const { kind: k } = t;
    if (o.apiVersion !== groupVersion(k) || o.kind !== k.kind) throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${groupVersion(k)}) or kind ${String(o.kind)} is not ${k.kind}`);
    if (k.namespaced) {
      if (o.metadata.namespace !== undefined && o.metadata.namespace !== t.namespace) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      o.metadata.namespace = t.namespace;
    } else delete o.metadata.namespace;
    if (t.name !== null && o.metadata.name !== t.name) throw badRequest(`the name of the object (${String(o.metadata.name)}) does not match the name on the URL (${t.name})`);
    const causes = k.validate(o);
    if (causes.length) throw invalid(k.kind, k.group, String(o.metadata.name ?? ""), causes);
    // Immutable once assigned, as the apiserver keeps them.
    const spec = o.spec as Record<string, unknown> | undefined;
    const oldSpec = existing?.spec as Record<string, unknown> | undefined;
    if (k.kind === "Service" && spec && oldSpec?.clusterIP && !spec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    k.defaults(o);
    if (existing?.status) o.status = existing.status;
    const base = existing ? structuredClone(existing.metadata) : { uid: randomUUID(), creationTimestamp: now(), generation: 1 };
    o.metadata = { ...o.metadata, uid: base.uid, creationTimestamp: base.creationTimestamp, generation: base.generation };
    if (existing && stripServerFields({ ...o }) === stripServerFields(existing)) return existing; // a no-op write changes nothing, not even resourceVersion
    const specChanged = existing && JSON.stringify(existing.spec) !== JSON.stringify(o.spec);
    o.metadata.generation = Number(base.generation ?? 1) + (specChanged ? 1 : 0);
    o.metadata.resourceVersion = String(revision + 1);
    o.metadata.managedFields = [{ manager, operation, apiVersion: groupVersion(k), time: now(), fieldsType: "FieldsV1", fieldsV1: {} }];
    return o;
  }

  function matches(o: Obj, selector: string | null): boolean {
    if (!selector) return true;
    const labels = (o.metadata.labels ?? {}) as Record<string, string>;
    return selector.split(",").every((term) => {
      const t = term.trim();
      let m: RegExpExecArray | null;
      if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(t))) return labels[m[1]!] !== m[2];
      if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(t))) return labels[m[1]!] === m[2];
      if ((m = /^!([\w./-]+)$/.exec(t))) return !(m[1]! in labels);
      if (/^[\w./-]+$/.test(t)) return t in labels;
      throw badRequest(`unable to parse requirement: the stand-in supports only =, ==, != and existence selectors: ${JSON.stringify(t)}`);
    });
  }

  function handle(req: IncomingMessage, url: URL, body: string): { status: number; doc: unknown } {
    const dryRunParam = url.searchParams.get("dryRun");
    if (dryRunParam !== null && dryRunParam !== "All") throw badRequest(`dryRun: Unsupported value: "${dryRunParam}": supported values: "All"`);
    const dryRun = dryRunParam === "All";
    requests.push({ method: req.method!, path: url.pathname, dryRun });
    const r = route(url.pathname);
    if (r === "discovery") {
      if (req.method !== "GET") throw new ApiStatus(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
      const doc = url.pathname.startsWith("/openapi/v3") ? openApiV3(url.pathname) : discovery(url.pathname);
      if (!doc) throw new ApiStatus(404, "NotFound", "the server could not find the requested resource");
      return { status: 200, doc };
    }
    const { kind: k } = r;
    const items = bucket(k);
    const key = r.name === null ? null : keyOf(k, r.namespace, r.name);
    const existing = key === null ? undefined : items.get(key);
    const commit = (o: Obj) => {
      if (dryRun || o === existing) return;
      revision = Number(o.metadata.resourceVersion);
      items.set(keyOf(k, (o.metadata.namespace as string) ?? null, String(o.metadata.name)), o);
    };
    switch (req.method) {
      case "GET": {
        if (key !== null) {
          if (!existing) throw notFound(k.resource, k.group, r.name!);
          return { status: 200, doc: existing };
        }
        const selector = url.searchParams.get("labelSelector");
        const list = [...items.values()].filter((o) => (r.namespace === null || o.metadata.namespace === r.namespace) && matches(o, selector));
        return { status: 200, doc: { kind: `${k.kind}List`, apiVersion: groupVersion(k), metadata: { resourceVersion: String(revision) }, items: list } };
      }
      case "POST": {
        if (key !== null) throw new ApiStatus(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        requireNamespace(r.namespace);
        if (k.namespaced && r.namespace === null) throw new ApiStatus(404, "NotFound", "the server could not find the requested resource");
        const o = decode(req, body, ["application/json", "application/yaml"]);
        checkFields(k, o, url.searchParams.get("fieldValidation"));
        const name = String(o.metadata.name ?? "");
        if (items.has(keyOf(k, r.namespace, name))) throw new ApiStatus(409, "AlreadyExists", `${k.resource}${k.group ? `.${k.group}` : ""} "${name}" already exists`, { name, group: k.group, kind: k.resource });
        const stored = admit({ ...r, name: null }, o, undefined, url.searchParams.get("fieldManager") ?? "kubectl-create", "Update");
        commit(stored);
        return { status: 201, doc: stored };
      }
      case "PATCH": {
        if (key === null) throw new ApiStatus(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        requireNamespace(r.namespace);
        const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
        const manager = url.searchParams.get("fieldManager");
        if (type === "application/apply-patch+yaml") {
          // Server-side apply: one manager owns every field it sends (see docs/vendors.md).
          if (!manager) throw invalid(k.kind, k.group, r.name!, [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }]);
          const o = decode(req, body, [type]);
          checkFields(k, o, url.searchParams.get("fieldValidation"));
          const stored = admit(r, o, existing, manager, "Apply");
          commit(stored);
          return { status: existing ? 200 : 201, doc: stored };
        }
        const patch = decode(req, body, ["application/merge-patch+json", "application/strategic-merge-patch+json"]);
        if (!existing) throw notFound(k.resource, k.group, r.name!);
        const merged = mergePatch(structuredClone(existing), patch) as Obj;
        const stored = admit(r, merged, existing, manager ?? "kubectl-patch", "Update");
        commit(stored);
        return { status: 200, doc: stored };
      }
      case "DELETE": {
        if (key === null) throw new ApiStatus(405, "MethodNotAllowed", "the stand-in does not delete collections: delete objects one by one");
        if (!existing) throw notFound(k.resource, k.group, r.name!);
        if (!dryRun) {
          items.delete(key);
          // The apiserver empties a namespace asynchronously; the stand-in does it at once.
          if (k.kind === "Namespace") for (const other of kinds) if (other.namespaced) for (const [kk, o] of bucket(other)) if (o.metadata.namespace === r.name) bucket(other).delete(kk);
        }
        return { status: 200, doc: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name: r.name, group: k.group, kind: k.resource, uid: existing.metadata.uid } } };
      }
      default:
        throw new ApiStatus(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }
  }

  const tls = selfSignedCertificate();
  const server = createServer({ key: tls.key, cert: tls.cert }, (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const reply = (status: number, doc: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(doc));
      };
      try {
        if (req.headers.authorization !== `Bearer ${token}`) throw new ApiStatus(401, "Unauthorized", "Unauthorized");
        const { status, doc } = handle(req, new URL(req.url ?? "/", "http://standin"), body);
        reply(status, doc);
      } catch (err) {
        if (err instanceof ApiStatus) reply(err.code, err.body());
        else reply(500, new ApiStatus(500, "InternalError", String(err)).body());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    ca: tls.cert,
    requests,
    objects: (resource) => store.get(resource) ?? new Map(),
    mutate(resource, key, change) {
      const o = store.get(resource)?.get(key);
      if (!o) throw new Error(`no ${resource} ${key} in the stand-in`);
      change(o);
      o.metadata.resourceVersion = String(++revision);
    },
    kubeconfig: (namespace) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "standin", cluster: { server: url, "certificate-authority-data": Buffer.from(tls.cert).toString("base64") } }],
        users: [{ name: "standin", user: { token } }],
        contexts: [{ name: "standin", context: { cluster: "standin", user: "standin", ...(namespace ? { namespace } : {}) } }],
        "current-context": "standin",
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A throwaway certificate for 127.0.0.1: kubectl sends a bearer token only over TLS, and verifies
 * the server against the kubeconfig's certificate-authority-data as it would a real cluster's.
 */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "k8s-standin-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 7386 JSON merge patch (the stand-in applies strategic merge patches the same way). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out = (target && typeof target === "object" && !Array.isArray(target) ? target : {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
