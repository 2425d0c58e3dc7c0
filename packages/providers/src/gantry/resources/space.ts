import type { Space } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull, idOf, sorted } from "../api.js";
import { kit } from "../kit.js";

const fromApi = (s: Space) => ({
  id: s.id, slug: s.id, name: s.name, description: s.description, parent_space_id: s.parentSpaceId ?? "root",
  inherit_entities: s.inheritEntities, labels: sorted(s.labels),
});

/** `gantry_space`: a node of the space tree. */
export const space = kit.resource({
  description: "A space: a node of the tree that carries access rights and entity reach.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: "explicit id; defaults to one derived from the name" }),
    name: attr.string({ required: true }),
    description: attr.string({ optional: true, default: "" }),
    parent_space_id: attr.string({ optional: true, default: "root" }),
    inherit_entities: attr.bool({ optional: true, default: false }),
    labels: attr.set(t.string, { optional: true, default: [] }),
  },
  async create({ planned, config, client }) {
    const s = await call(client, "createSpace", {
      body: {
        ...(config.slug ? { id: config.slug } : {}), name: planned.name, description: planned.description,
        parentSpaceId: planned.parent_space_id, inheritEntities: planned.inherit_entities, labels: planned.labels,
      },
    }, { id: "slug" }, { forbiddenAt: "parent_space_id" });
    return fromApi(s);
  },
  async read({ state, client }) {
    const s = await callOrNull(client, "getSpace", { params: { id: idOf(state) } });
    return s && fromApi(s);
  },
  async update({ prior, planned, client }) {
    const s = await call(client, "updateSpace", {
      params: { id: idOf(prior) },
      body: { name: planned.name, description: planned.description, parentSpaceId: planned.parent_space_id, inheritEntities: planned.inherit_entities, labels: planned.labels },
    }, {}, { forbiddenAt: "parent_space_id" });
    return fromApi(s);
  },
  async delete({ state, client }) {
    await call(client, "deleteSpace", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id }),
});
