import type { DataSource, DataSourceDefinition, Fields, Provider, ProviderDefinition, Resource, ResourceDefinition } from "./types.js";

/** Definition helpers bound to a provider client type `C` (what `configure` returns). */
export interface ProviderKit<C> {
  resource<F extends Fields>(definition: ResourceDefinition<F, C>): Resource<C>;
  dataSource<F extends Fields>(definition: DataSourceDefinition<F, C>): DataSource<C>;
  provider<F extends Fields>(definition: ProviderDefinition<F, C>): Provider;
}

/**
 * Returns typed `resource`/`dataSource`/`provider` helpers for a client type.
 *
 * @example
 * const kit = providerKit<SimClient>();
 * export const bucket = kit.resource({ schema: {...}, create: async ({ planned, client }) => ({ id: "x" }), ... });
 */
export function providerKit<C>(): ProviderKit<C> {
  return {
    // The casts erase the schema type parameter: handlers were type-checked against their own
    // schema at the call site, and the runtime only passes values shaped by that same schema.
    resource: (definition) => ({ kind: "resource", definition: definition as unknown as ResourceDefinition<Fields, C> }),
    dataSource: (definition) => ({ kind: "data-source", definition: definition as unknown as DataSourceDefinition<Fields, C> }),
    provider: (definition) => ({ kind: "provider", definition: definition as unknown as ProviderDefinition<Fields, unknown> }),
  };
}
