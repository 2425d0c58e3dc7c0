import type { Space, Stack } from "@gantry/contract";
import { attr, t, type DataSource } from "@gantry/tfplugin";
import { call, sorted, type GantryProviderClient } from "./api.js";
import { kit } from "./kit.js";

const stackAttributes = {
  name: attr.string({ computed: true }), description: attr.string({ computed: true }), space_id: attr.string({ computed: true }),
  repository: attr.string({ computed: true }), branch: attr.string({ computed: true }), project_root: attr.string({ computed: true }),
  labels: attr.set(t.string, { computed: true }), administrative: attr.bool({ computed: true }), autodeploy: attr.bool({ computed: true }),
  manage_state: attr.bool({ computed: true }), protect_from_deletion: attr.bool({ computed: true }),
};
const stackValues = (s: Stack) => ({
  name: s.name, description: s.description, space_id: s.spaceId, repository: s.repository, branch: s.branch, project_root: s.projectRoot,
  labels: sorted(s.labels), administrative: s.administrative, autodeploy: s.autodeploy, manage_state: s.manageState, protect_from_deletion: s.protectFromDeletion,
});
const spaceValues = (s: Space) => ({ name: s.name, description: s.description, parent_space_id: s.parentSpaceId, inherit_entities: s.inheritEntities, labels: sorted(s.labels) });
const spaceAttributes = {
  name: attr.string({ computed: true }), description: attr.string({ computed: true }), parent_space_id: attr.string({ computed: true }),
  inherit_entities: attr.bool({ computed: true }), labels: attr.set(t.string, { computed: true }),
};

export const dataSources: Record<string, DataSource<GantryProviderClient>> = {
  /** The stack whose run is executing this configuration (from GANTRY_STACK_ID, set in every run). */
  gantry_current_stack: kit.dataSource({
    schema: { id: attr.string({ computed: true }) },
    read() {
      const id = process.env.GANTRY_STACK_ID;
      if (!id) throw new Error("gantry_current_stack only works inside a Gantry run (GANTRY_STACK_ID is not set)");
      return { id };
    },
  }),
  gantry_stack: kit.dataSource({
    schema: { stack_id: attr.string({ required: true }), id: attr.string({ computed: true }), ...stackAttributes },
    async read({ config, client }) {
      const s = await call(client, "getStack", { params: { id: config.stack_id } }, { id: "stack_id" });
      return { id: s.id, ...stackValues(s) };
    },
  }),
  gantry_space: kit.dataSource({
    schema: { space_id: attr.string({ required: true }), id: attr.string({ computed: true }), ...spaceAttributes },
    async read({ config, client }) {
      const s = await call(client, "getSpace", { params: { id: config.space_id } }, { id: "space_id" });
      return { id: s.id, ...spaceValues(s) };
    },
  }),
  gantry_spaces: kit.dataSource({
    schema: {
      id: attr.string({ computed: true }),
      spaces: attr.list(t.object({ space_id: t.string, name: t.string, description: t.string, parent_space_id: t.string, inherit_entities: t.bool, labels: t.set(t.string) }), { computed: true }),
    },
    async read({ client }) {
      const all = await client.api.all("listSpaces");
      return { id: "spaces", spaces: all.map((s) => ({ space_id: s.id, ...spaceValues(s) })) };
    },
  }),
};
