import { PolicyType, type Policy } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf, sorted, splitImportId } from "../api.js";
import { kit } from "../kit.js";

const fromApi = (p: Policy) => ({
  id: p.id, slug: p.id, name: p.name, description: p.description, type: p.type, body: p.body, space_id: p.spaceId, labels: sorted(p.labels), rego_version: p.regoVersion, tests: p.tests, version: p.version });

const types = PolicyType.options as readonly string[];

/** `gantry_policy`: a Rego policy; attach it, or label it `autoattach:<label>`. */
export const policy = kit.resource({
  description: "A Rego policy evaluated at one step of a run or request.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "explicit id; defaults to one derived from the name" }),
    name: attr.string({ required: true }),
    description: attr.string({ optional: true, default: "" }),
    type: attr.string({ required: true, requiresReplace: true, validate: (v) => (types.includes(v) ? undefined : `must be one of ${types.join(", ")}`) }),
    body: attr.string({ required: true, description: "the Rego source, e.g. file(\"policies/plan.rego\")" }),
    space_id: attr.string({ optional: true, default: "root" }),
    labels: attr.set(t.string, { optional: true, default: [] }),
    rego_version: attr.string({ optional: true, default: "V1", validate: (v) => (v === "V0" || v === "V1" ? undefined : "must be V0 or V1") }),
    tests: attr.string({ optional: true, default: "", description: "Rego tests (test_ rules) of the body, e.g. file(\"policies/plan_test.rego\"): Gantry runs them on every change and refuses the change (naming the test) when one fails" }),
    version: attr.string({ computed: true, description: "content hash of the body and Rego version: run receipts name the version that decided" }),
  },
  async create({ planned, config, client }) {
    const p = await call(client, "createPolicy", {
      body: {
        ...(config.slug ? { id: config.slug } : {}), name: planned.name, description: planned.description, type: planned.type as PolicyType,
        body: planned.body, spaceId: planned.space_id, labels: planned.labels, regoVersion: planned.rego_version as "V0" | "V1", tests: planned.tests,
      },
    }, { id: "slug", regoVersion: "rego_version" }, { forbiddenAt: "space_id" });
    return fromApi(p);
  },
  async read({ state, client }) {
    const p = await callOrNull(client, "getPolicy", { params: { id: idOf(state) } });
    return p && fromApi(p);
  },
  async update({ prior, planned, client }) {
    const p = await call(client, "updatePolicy", {
      params: { id: idOf(prior) },
      body: { name: planned.name, description: planned.description, body: planned.body, spaceId: planned.space_id, labels: planned.labels, regoVersion: planned.rego_version as "V0" | "V1", tests: planned.tests },
    }, { regoVersion: "rego_version" }, { forbiddenAt: "space_id" });
    return fromApi(p);
  },
  async delete({ state, client }) {
    await call(client, "deletePolicy", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});

/** `gantry_policy_attachment`: attaches a policy to a stack. */
export const policyAttachment = kit.resource({
  description: "Attaches a policy to a stack.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    policy_id: attr.string({ required: true, requiresReplace: true }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
  },
  async create({ planned, client }) {
    await call(client, "attachPolicy", { params: { id: planned.stack_id, entityId: planned.policy_id } });
    return { id: `${planned.stack_id}/${planned.policy_id}` };
  },
  async read({ state, client }) {
    const list = await callOrNull(client, "listStackAttachments", { params: { id: state.stack_id } });
    return list?.items.some((x) => x.kind === "policy" && x.entityId === state.policy_id) ? {} : null;
  },
  update: () => ({}),
  async delete({ state, client }) {
    await call(client, "detachPolicy", { params: { id: state.stack_id, entityId: state.policy_id } });
  },
  import: ({ id }) => {
    const [stackId, entityId] = splitImportId(id, "policy");
    return { id, stack_id: stackId, policy_id: entityId };
  },
});
