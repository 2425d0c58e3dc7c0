import { endpoints, ErrorEnvelope, workerEndpoints, type Endpoint } from "@gantry/contract";
import { z } from "zod";

/**
 * The document follows OpenAPI 3.1, whose schemas are JSON Schema 2020-12: what zod emits
 * (`contentEncoding`, type arrays for nullables), so standard validators and generators read it
 * as written.
 */
const toSchema = (s: z.ZodType, io: "input" | "output") => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  return schema;
};

/**
 * A route mounted outside the endpoint table (worker artifacts, live logs, the state backend,
 * webhooks), described by the module that mounts it. `method` is lowercase; methods OpenAPI
 * has no field for (terraform's LOCK and UNLOCK) are listed as `x-<method>` of their path.
 */
export interface ProtocolOperation {
  method: string;
  /** OpenAPI form, `{param}`. */
  path: string;
  operation: Record<string, unknown>;
}

const openApiMethods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** The OpenAPI operation of one endpoint of the contract's tables. */
function endpointOperation(name: string, e: Endpoint, errorResponse: unknown): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const [where, schema] of [["path", e.params], ["query", e.query]] as const) {
    if (!schema) continue;
    const json = toSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [pname, pschema] of Object.entries(json.properties ?? {})) {
      parameters.push({ name: pname, in: where, required: where === "path" || (json.required ?? []).includes(pname), schema: pschema });
    }
  }
  const status = String(e.status ?? 200);
  const op: Record<string, unknown> = {
    operationId: name,
    summary: e.summary,
    tags: [e.tag],
    "x-gantry-access": e.access,
    parameters,
    responses: {
      [status]: e.response ? { description: "success", content: { "application/json": { schema: toSchema(e.response, "output") } } } : { description: "success, no content" },
      default: errorResponse,
    },
  };
  if (e.access.kind !== "public") op.security = [{ bearer: [] }];
  if (e.body) op.requestBody = { required: true, content: { "application/json": { schema: toSchema(e.body, "input") } } };
  return op;
}

/**
 * The OpenAPI document of every mounted route: the public API and the worker protocol from the
 * contract's endpoint tables (the same ones the server routes and validates with), plus the
 * protocol routes their modules describe.
 */
export function openApiDocument(version: string, protocol: ProtocolOperation[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = { description: "error", content: { "application/json": { schema: toSchema(ErrorEnvelope, "output") } } };
  for (const [name, e] of Object.entries({ ...endpoints, ...workerEndpoints }) as [string, Endpoint][]) {
    const op = endpointOperation(name, e, errorResponse);
    // Worker calls take a pool or run token, not a person's; they share the bearer scheme.
    if (e.tag === "worker-protocol") op.security = [{ bearer: [] }];
    (paths[e.path] ??= {})[e.method.toLowerCase()] = op;
  }
  for (const p of protocol) {
    const key = openApiMethods.has(p.method) ? p.method : `x-${p.method}`;
    (paths[p.path] ??= {})[key] = { responses: { default: errorResponse }, ...p.operation };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "Gantry API", version, description: "Self-hosted infrastructure-as-code platform. Errors answer {error:{code,message,details}}." },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "an API key (gnt_...) or a session token (gns_...); workers send their pool token (gwp_...) or run token (gnr_...)" },
        basic: { type: "http", scheme: "basic", description: "terraform's HTTP state backend: any user name, an API key or run token as the password" },
        githubSignature: { type: "apiKey", in: "header", name: "X-Hub-Signature-256", description: "HMAC-SHA256 of the raw body with the integration's webhook secret" },
      },
    },
    paths,
  };
}
