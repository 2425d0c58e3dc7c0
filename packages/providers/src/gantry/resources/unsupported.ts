import type { EndpointName } from "@gantry/contract";
import { attr, t, type Resource } from "@gantry/tfplugin";
import { call, type GantryProviderClient } from "../api.js";
import { kit } from "../kit.js";

/**
 * Resources for capabilities Gantry does not have yet. Their schemas follow Spacelift's so
 * configurations parse and plan; applying them asks the API, which answers `not_supported`, and
 * Terraform shows that error instead of a resource that pretends to exist.
 */
function planned(description: string, endpoint: EndpointName, fields: Parameters<typeof kit.resource>[0]["schema"], target: (config: Record<string, unknown>) => { params?: { id: string } }): Resource<GantryProviderClient> {
  return kit.resource({
    description: `${description} (not supported by this Gantry version yet)`,
    schema: { id: attr.string({ computed: true }), ...fields },
    async create({ config, client }) {
      await call(client, endpoint, { ...target(config), body: {} } as never);
      return {};
    },
    read: ({ state }) => state,
    update: ({ planned }) => planned as never,
    delete: () => undefined,
  });
}


export const unsupportedResources = {
  gantry_module: planned("A module of the private registry", "createModule", {
    name: attr.string({ optional: true }), repository: attr.string({ required: true }), branch: attr.string({ optional: true }),
    project_root: attr.string({ optional: true }), terraform_provider: attr.string({ optional: true }), space_id: attr.string({ optional: true }),
    labels: attr.set(t.string, { optional: true }),
  }, () => ({})),
};
