import type { EndpointInput, EndpointOutput } from "./endpoint.js";
import type { EndpointName, Endpoints } from "./endpoints.js";
import type { ErrorCode } from "./errors.js";

/*
 * The HTTP half of the typed client, without the endpoint table's schemas: a browser that only
 * needs each endpoint's method and path (the web UI, given them at build time) imports this
 * module and ships no zod. `GantryClient` (client.ts) is this with the full table.
 */

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

export interface ClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:4810`. */
  baseUrl: string;
  /** An API key (`gnt_...`), session token or run token, sent as a bearer token. */
  token?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** Where each endpoint lives: its method and path template, as in the endpoint table. */
export type RouteTable = { readonly [K in EndpointName]: { readonly method: Endpoints[K]["method"]; readonly path: string } };

/** Calls endpoints by name over HTTP, given where each one lives. */
export class GantryHttpClient {
  protected readonly baseUrl: string;

  constructor(
    private readonly routes: RouteTable,
    protected readonly options: ClientOptions,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  /** Calls one endpoint by name; rejects with {@link GantryApiError} on any error answer. */
  async call<K extends EndpointName>(name: K, input: EndpointInput<Endpoints[K]>): Promise<EndpointOutput<Endpoints[K]>> {
    const e = this.routes[name];
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
}
