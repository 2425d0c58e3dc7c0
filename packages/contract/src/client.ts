import type { EndpointInput, EndpointOutput } from "./endpoint.js";
import { endpoints, type Endpoints } from "./endpoints.js";
import { GantryHttpClient, type ClientOptions } from "./http-client.js";

export { GantryApiError, GantryHttpClient, type ClientOptions, type RouteTable } from "./http-client.js";

type PageItems<T> = T extends { items: infer I } ? I : never;

/**
 * Typed client of the Gantry API, built from the same endpoint table as the server.
 *
 * @example
 * const gantry = new GantryClient({ baseUrl: "http://127.0.0.1:4810", token: process.env.GANTRY_API_KEY });
 * const stack = await gantry.call("getStack", { params: { id: "networking-prod" } });
 */
export class GantryClient extends GantryHttpClient {
  constructor(options: ClientOptions) {
    super(endpoints, options);
  }

  /** Fetches every page of a paginated list endpoint. */
  async all<K extends "listSpaces" | "listStacks" | "listContexts" | "listPolicies" | "listAwsIntegrations" | "listUsers" | "listAuditEvents" | "listModules" | "listProviderNamespaces">(
    name: K,
    query: Record<string, unknown> = {},
  ): Promise<PageItems<EndpointOutput<Endpoints[K]>>> {
    const items: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = (await this.call(name, { query: { ...query, limit: 1000, cursor } } as EndpointInput<Endpoints[K]>)) as { items: unknown[]; nextCursor: string | null };
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items as PageItems<EndpointOutput<Endpoints[K]>>;
  }
}
