import type { Module, Space, Stack } from "@gantry/contract";
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

const moduleAttributes = {
  name: attr.string({ computed: true }), terraform_provider: attr.string({ computed: true }), namespace: attr.string({ computed: true }),
  description: attr.string({ computed: true }), repository: attr.string({ computed: true }), branch: attr.string({ computed: true }),
  project_root: attr.string({ computed: true }), space_id: attr.string({ computed: true }), labels: attr.set(t.string, { computed: true }),
  shared_with: attr.set(t.string, { computed: true }), source: attr.string({ computed: true }), latest_version: attr.string({ computed: true }),
};
const moduleValues = (m: Module) => ({
  name: m.name, terraform_provider: m.terraformProvider, namespace: m.namespace, description: m.description, repository: m.repository, branch: m.branch,
  project_root: m.projectRoot, space_id: m.spaceId, labels: sorted(m.labels), shared_with: sorted(m.sharedWith), source: m.source, latest_version: m.latestVersion,
});

export const dataSources: Record<string, DataSource<GantryProviderClient>> = {
  /** A module of the registry, with the `source` address to use it by. */
  gantry_module: kit.dataSource({
    schema: { module_id: attr.string({ required: true }), id: attr.string({ computed: true }), ...moduleAttributes },
    async read({ config, client }) {
      const m = await call(client, "getModule", { params: { id: config.module_id } }, { id: "module_id" });
      return { id: m.id, ...moduleValues(m) };
    },
  }),
  /** Every version of a module, newest first, with its state (ACTIVE, FAILED, YANKED) and commit. */
  gantry_module_versions: kit.dataSource({
    schema: {
      module_id: attr.string({ required: true }), id: attr.string({ computed: true }),
      versions: attr.list(t.object({ version: t.string, state: t.string, commit: t.string, tag: t.string }), { computed: true }),
    },
    async read({ config, client }) {
      const { items } = await call(client, "listModuleVersions", { params: { id: config.module_id } }, { id: "module_id" });
      return { id: config.module_id, versions: items.map((v) => ({ version: v.version, state: v.state, commit: v.commit, tag: v.tag ?? "" })) };
    },
  }),
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
