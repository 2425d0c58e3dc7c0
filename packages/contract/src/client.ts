import type { EndpointInput, EndpointOutput } from "./endpoint.js";
import { endpoints, type EndpointName, type Endpoints } from "./endpoints.js";
import type { ErrorCode } from "./errors.js";

/** An error answered by the Gantry API, or a failure to reach it. */
export class GantryApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "unreachable",
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "GantryApiError";
  }
}

type PageItems<T> = T extends { items: infer I } ? I : never;

export interface ClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:4810`. */
  baseUrl: string;
  /** An API key (`gnt_...`), session token or run token, sent as a bearer token. */
  token?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/**
 * Typed client of the Gantry API, built from the same endpoint table as the server.
 *
 * @example
 * const gantry = new GantryClient({ baseUrl: "http://127.0.0.1:4810", token: process.env.GANTRY_API_KEY });
 * const stack = await gantry.call("getStack", { params: { id: "networking-prod" } });
 */
export class GantryClient {
  private readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  /** Calls one endpoint by name; rejects with {@link GantryApiError} on any error answer. */
  async call<K extends EndpointName>(name: K, input: EndpointInput<Endpoints[K]>): Promise<EndpointOutput<Endpoints[K]>> {
    const e = endpoints[name];
    const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
    let path = e.path.replace(/\{(\w+)\}/g, (_, key: string) => {
      const v = params?.[key];
      if (v === undefined) throw new Error(`missing path parameter ${key} for ${String(name)}`);
      return encodeURIComponent(v);
    });
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
    if ([...qs].length > 0) path += `?${qs.toString()}`;
    const headers: Record<string, string> = { accept: "application/json", ...this.options.headers };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { method: e.method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new GantryApiError(0, "unreachable", `cannot reach the Gantry server at ${this.baseUrl}: ${(err as Error).cause ?? (err as Error).message}`);
    }
    if (res.status === 204) return undefined as EndpointOutput<Endpoints[K]>;
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new GantryApiError(res.status, "internal", `the server answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: ErrorCode; message?: string; details?: unknown } } | undefined)?.error;
      throw new GantryApiError(res.status, err?.code ?? "internal", err?.message ?? `request failed with status ${res.status}`, err?.details);
    }
    return json as EndpointOutput<Endpoints[K]>;
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
