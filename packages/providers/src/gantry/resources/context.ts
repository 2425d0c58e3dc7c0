import type { Context } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf, sorted, splitImportId } from "../api.js";
import { kit } from "../kit.js";
import { hookAttributes, hooksFromApi, hooksToApi } from "./hooks.js";

const fromApi = (c: Context) => ({
  id: c.id, slug: c.id, name: c.name, description: c.description, space_id: c.spaceId, labels: sorted(c.labels), ...hooksFromApi(c.hooks) });

/** `gantry_context`: a shared bundle of environment variables, mounted files and hooks. */
export const context = kit.resource({
  description: "A context: environment variables, mounted files and hooks shared by stacks.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "explicit id; defaults to one derived from the name" }),
    name: attr.string({ required: true }),
    description: attr.string({ optional: true, default: "" }),
    space_id: attr.string({ optional: true, default: "root" }),
    labels: attr.set(t.string, { optional: true, default: [] }),
    ...hookAttributes,
  },
  async create({ planned, config, client }) {
    const c = await call(client, "createContext", {
      body: { ...(config.slug ? { id: config.slug } : {}), name: planned.name, description: planned.description, spaceId: planned.space_id, labels: planned.labels, hooks: hooksToApi(planned) },
    }, { id: "slug" }, { forbiddenAt: "space_id" });
    return fromApi(c);
  },
  async read({ state, client }) {
    const c = await callOrNull(client, "getContext", { params: { id: idOf(state) } });
    return c && fromApi(c);
  },
  async update({ prior, planned, client }) {
    const c = await call(client, "updateContext", {
      params: { id: idOf(prior) },
      body: { name: planned.name, description: planned.description, spaceId: planned.space_id, labels: planned.labels, hooks: hooksToApi(planned) },
    }, {}, { forbiddenAt: "space_id" });
    return fromApi(c);
  },
  async delete({ state, client }) {
    await call(client, "deleteContext", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});

/** `gantry_context_attachment`: attaches a context to a stack with a priority (0 wins). */
export const contextAttachment = kit.resource({
  description: "Attaches a context to a stack. Lower priority numbers take precedence.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    context_id: attr.string({ required: true, requiresReplace: true }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
    priority: attr.int({ optional: true, default: 0 }),
  },
  async create({ planned, client }) {
    await call(client, "attachContext", { params: { id: planned.stack_id, entityId: planned.context_id }, body: { priority: planned.priority } });
    return { id: `${planned.stack_id}/${planned.context_id}` };
  },
  async read({ state, client }) {
    const list = await callOrNull(client, "listStackAttachments", { params: { id: state.stack_id } });
    const a = list?.items.find((x) => x.kind === "context" && x.entityId === state.context_id);
    return a ? { priority: a.priority } : null;
  },
  async update({ planned, client }) {
    await call(client, "attachContext", { params: { id: planned.stack_id, entityId: planned.context_id }, body: { priority: planned.priority } });
    return {};
  },
  async delete({ state, client }) {
    await call(client, "detachContext", { params: { id: state.stack_id, entityId: state.context_id } });
  },
  import: ({ id }) => {
    const [stackId, entityId] = splitImportId(id, "context");
    return { id, stack_id: stackId, context_id: entityId };
  },
});
