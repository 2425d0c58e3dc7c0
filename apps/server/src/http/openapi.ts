import { endpoints, ErrorEnvelope, type Endpoint } from "@gantry/contract";
import { z } from "zod";

const toSchema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any", target: "openapi-3.0" });

/** The OpenAPI 3 document, generated from the same endpoint table the server routes and validates with. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = { description: "error", content: { "application/json": { schema: toSchema(ErrorEnvelope, "output") } } };
  for (const [name, e] of Object.entries(endpoints) as [string, Endpoint][]) {
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
    const path = e.path;
    (paths[path] ??= {})[e.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.0.3",
    info: { title: "Gantry API", version, description: "Self-hosted infrastructure-as-code platform. Errors answer {error:{code,message,details}}." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "an API key (gnt_...) or a session token (gns_...)" } } },
    paths,
  };
}
