import { createHash } from "node:crypto";
import { attr } from "@gantry/tfplugin";
import { call, callOrNull } from "../api.js";
import { kit } from "../kit.js";

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Exactly one owner: the element belongs to a context or to a stack. */
const ownerAttributes = {
  context_id: attr.string({ optional: true, requiresReplace: true }),
  stack_id: attr.string({ optional: true, requiresReplace: true }),
};

type Owner = { context_id: string | null; stack_id: string | null };

function owner(o: Owner): { kind: "context" | "stack"; id: string } {
  if (o.context_id && !o.stack_id) return { kind: "context", id: o.context_id };
  if (o.stack_id && !o.context_id) return { kind: "stack", id: o.stack_id };
  throw new Error("set exactly one of context_id and stack_id");
}

function validateOwner(config: { context_id: unknown; stack_id: unknown }, diagnostics: { error(s: string, d?: string, p?: (string | number)[]): void }) {
  const set = (v: unknown) => v !== null && v !== undefined;
  if (set(config.context_id) === set(config.stack_id)) diagnostics.error("set exactly one of context_id and stack_id", "an environment variable or mounted file belongs to one context or one stack", ["context_id"]);
}

/** Splits `<context|stack>/<owner id>/<name>` import ids. */
function parseImport(id: string) {
  const m = /^(context|stack)\/([^/]+)\/(.+)$/.exec(id);
  if (!m) throw new Error(`import id must be context/<id>/<name> or stack/<id>/<name>, not ${JSON.stringify(id)}`);
  return { context_id: m[1] === "context" ? m[2]! : null, stack_id: m[1] === "stack" ? m[2]! : null, name: m[3]! };
}

/**
 * `gantry_environment_variable`. `write_only` (the default, as in Spacelift) keeps the value
 * secret: Gantry never returns it, so drift is detected through its checksum. `value_wo`
 * (Terraform 1.11+ write-only attribute) keeps it out of Terraform's state too; bump
 * `value_wo_version` to send a new one.
 */
export const environmentVariable = kit.resource({
  description: "An environment variable of a context or a stack.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    ...ownerAttributes,
    name: attr.string({ required: true, requiresReplace: true }),
    value: attr.string({ optional: true, sensitive: true }),
    value_wo: attr.string({ optional: true, writeOnly: true, sensitive: true }),
    value_wo_version: attr.int({ optional: true }),
    write_only: attr.bool({ optional: true, default: true }),
    checksum: attr.string({ computed: true }),
  },
  validate({ config, diagnostics }) {
    validateOwner(config, diagnostics);
    const has = (v: unknown) => v !== null && v !== undefined;
    if (has(config.value) === has(config.value_wo)) diagnostics.error("set exactly one of value and value_wo", undefined, ["value"]);
  },
  async create({ planned, config, client }) {
    return put(client, { ...planned, value_wo: config.value_wo });
  },
  async read({ state, client }) {
    const o = owner(state);
    const cfg = await callOrNull(client, o.kind === "stack" ? "stackConfig" : "contextConfig", { params: { id: o.id } });
    const v = cfg?.variables.find((x) => x.name === state.name);
    if (!v) return null;
    // A changed secret shows as a changed value (Terraform prints it as sensitive).
    const value = state.value === null ? null : v.value ?? (sha256(state.value) === v.checksum ? state.value : "");
    return { value, write_only: v.writeOnly, checksum: v.checksum };
  },
  async update({ planned, config, client }) {
    return put(client, { ...planned, value_wo: config.value_wo });
  },
  async delete({ state, client }) {
    const o = owner(state);
    await call(client, o.kind === "stack" ? "deleteStackVariable" : "deleteContextVariable", { params: { id: o.id, name: state.name } });
  },
  import: ({ id }) => {
    const p = parseImport(id);
    return { id, ...p, value: "" };
  },
});

async function put(client: Parameters<typeof call>[0], config: Owner & { name: string; value: string | null; value_wo: string | null; write_only: boolean }) {
  const o = owner(config);
  const value = config.value ?? config.value_wo ?? "";
  const v = await call(client, o.kind === "stack" ? "putStackVariable" : "putContextVariable", { params: { id: o.id, name: config.name }, body: { value, writeOnly: config.write_only } }, { value: config.value === null ? "value_wo" : "value" });
  return { id: `${o.kind}/${o.id}/${config.name}`, checksum: v.checksum };
}

/** `gantry_mounted_file`: a file written into the run's workspace; `content` is base64. */
export const mountedFile = kit.resource({
  description: "A file mounted into runs of a context's or stack's workspace (content base64-encoded).",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    ...ownerAttributes,
    relative_path: attr.string({ required: true, requiresReplace: true }),
    content: attr.string({ required: true, sensitive: true, validate: (v) => (/^[A-Za-z0-9+/]*={0,2}$/.test(v) ? undefined : "must be base64 (use filebase64() or base64encode())") }),
    write_only: attr.bool({ optional: true, default: true }),
    checksum: attr.string({ computed: true }),
  },
  validate({ config, diagnostics }) {
    validateOwner(config, diagnostics);
  },
  async create({ planned, client }) {
    return putFile(client, planned);
  },
  async read({ state, client }) {
    const o = owner(state);
    const cfg = await callOrNull(client, o.kind === "stack" ? "stackConfig" : "contextConfig", { params: { id: o.id } });
    const f = cfg?.files.find((x) => x.relativePath === state.relative_path);
    if (!f) return null;
    const content = f.content ?? (sha256(Buffer.from(state.content, "base64")) === f.checksum ? state.content : "");
    return { content, write_only: f.writeOnly, checksum: f.checksum };
  },
  async update({ planned, client }) {
    return putFile(client, planned);
  },
  async delete({ state, client }) {
    const o = owner(state);
    await call(client, o.kind === "stack" ? "deleteStackFile" : "deleteContextFile", { params: { id: o.id }, query: { path: state.relative_path } });
  },
  import: ({ id }) => {
    const p = parseImport(id);
    return { id, context_id: p.context_id, stack_id: p.stack_id, relative_path: p.name, content: "" };
  },
});

async function putFile(client: Parameters<typeof call>[0], config: Owner & { relative_path: string; content: string; write_only: boolean }) {
  const o = owner(config);
  const f = await call(client, o.kind === "stack" ? "putStackFile" : "putContextFile", { params: { id: o.id }, body: { relativePath: config.relative_path, content: config.content, writeOnly: config.write_only } }, { relativePath: "relative_path" });
  return { id: `${o.kind}/${o.id}/${config.relative_path}`, checksum: f.checksum };
}
