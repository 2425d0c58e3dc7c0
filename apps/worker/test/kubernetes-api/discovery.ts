import { groupVersion, kinds } from "./kinds.js";

/** The legacy (unaggregated) discovery documents kubectl falls back to, and /version. */
export function discovery(path: string): unknown {
  const groups = [...new Set(kinds.filter((k) => k.group).map((k) => k.group))];
  if (path === "/version") return { major: "1", minor: "32", gitVersion: "v1.32.0-gantry-standin", platform: "linux/amd64" };
  if (path === "/api") return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }] };
  if (path === "/apis") {
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: groups.map((g) => ({ name: g, versions: [{ groupVersion: `${g}/v1`, version: "v1" }], preferredVersion: { groupVersion: `${g}/v1`, version: "v1" } })),
    };
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? "";
  const version = m[1] ?? m[3]!;
  const served = kinds.filter((k) => k.group === group && k.version === version);
  if (!served.length) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupVersion({ group, version }),
    resources: served.map((k) => ({
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: ["create", "delete", "get", "list", "patch", "update"],
      shortNames: k.shortNames,
    })),
  };
}

const queryParams = ["dryRun", "fieldManager", "fieldValidation", "force", "labelSelector", "propagationPolicy"].map((name) => ({ name, in: "query", schema: { type: name === "force" ? "boolean" : "string" } }));

/**
 * OpenAPI v3 documents, only as far as kubectl reads them: the root lists each group-version, and
 * each group-version's patch operations declare `fieldValidation` and `dryRun`, so kubectl leaves
 * validation to the server (it checks the parameter before choosing). No schemas are served.
 */
export function openApiV3(path: string): unknown {
  const gvs = [...new Set(kinds.map((k) => (k.group ? `apis/${k.group}/${k.version}` : `api/${k.version}`)))];
  if (path === "/openapi/v3") return { paths: Object.fromEntries(gvs.map((gv) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=standin` }])) };
  const gv = path.replace(/^\/openapi\/v3\//, "");
  if (!gvs.includes(gv)) return undefined;
  const paths: Record<string, unknown> = {};
  for (const k of kinds.filter((x) => (x.group ? `apis/${x.group}/${x.version}` : `api/${x.version}`) === gv)) {
    const gvk = { group: k.group, version: k.version, kind: k.kind };
    const op = (action: string) => ({ operationId: `${action}${k.kind}`, "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, parameters: queryParams, responses: { "200": { description: "OK" } } });
    const item = `/${gv}${k.namespaced ? "/namespaces/{namespace}" : ""}/${k.resource}/{name}`;
    paths[item] = { get: op("get"), patch: op("patch"), put: op("put"), delete: op("delete") };
    paths[`/${gv}${k.namespaced ? "/namespaces/{namespace}" : ""}/${k.resource}`] = { get: op("list"), post: op("post") };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes API stand-in", version: "v1.32.0" }, paths, components: { schemas: {} } };
}
