import type { FastifyRequest } from "fastify";
import type { RouteAuth } from "../auth/request-authentication.js";
import type { Db } from "../db/connect.js";
import { AppError } from "../errors.js";
import type { buildApp } from "../http/app.js";
import type { ProtocolOperation } from "../http/openapi.js";
import type { RegistrySettings } from "../modules/rows.js";
import type { BlobStore } from "../runs/blob-store.js";
import { archiveUrls } from "./archive-urls.js";
import { LOGIN_V1 } from "./login-v1.js";
import { downloadableVersion, offeredVersions, visibleModule, type ModuleAddress } from "./module-protocol.js";

const registry = { auth: "registry" as RouteAuth };
const pub = { auth: "public" as RouteAuth };

/**
 * Terraform's module registry protocol (modules.v1), as terraform 1.11 speaks it: discovery,
 * the version list, and download answering 204 with `X-Terraform-Get` pointing at a signed,
 * short-lived archive link (terraform sends no token there). Served on both listeners; terraform
 * only accepts it over HTTPS.
 */
export function mountModuleRegistry(app: ReturnType<typeof buildApp>, deps: { db: Db; blobs: BlobStore; settings: RegistrySettings; signingKey: Buffer }): void {
  const { db, blobs } = deps;
  const urls = archiveUrls(deps.signingKey);
  const address = (req: FastifyRequest) => req.params as ModuleAddress;

  app.get("/.well-known/terraform.json", { config: pub }, async () => ({ "modules.v1": "/v1/modules/", "providers.v1": "/v1/providers/", "login.v1": LOGIN_V1 }));

  app.get("/v1/modules/:namespace/:name/:provider/versions", { config: registry }, async (req) => {
    const m = await visibleModule(db, req, address(req));
    const versions = await offeredVersions(db, m, req.caller.kind === "run" ? req.caller.run.stack_id : undefined);
    return { modules: [{ source: `${m.namespace}/${m.name}/${m.terraform_provider}`, versions: versions.map((version) => ({ version })) }] };
  });

  app.get("/v1/modules/:namespace/:name/:provider/:version/download", { config: registry }, async (req, reply) => {
    const m = await visibleModule(db, req, address(req));
    const v = await downloadableVersion(db, m, (req.params as { version: string }).version);
    return reply.status(204).header("x-terraform-get", urls.sign(v.id)).send();
  });

  // The archive link: no token (terraform sends none), the signature is the permission.
  app.route({
    method: "GET",
    url: "/registry/archives/:file",
    config: pub,
    handler: async (req, reply) => {
      const file = (req.params as { file: string }).file;
      const versionId = file.endsWith(".tar.gz") ? file.slice(0, -".tar.gz".length) : "";
      const q = req.query as { expires?: string; signature?: string };
      const refused = urls.check(versionId, q.expires, q.signature);
      if (refused) throw new AppError("forbidden", refused);
      const row = await db.selectFrom("module_versions").select(["blob_id", "sha256"]).where("id", "=", versionId).executeTakeFirst();
      const data = row ? await blobs.byId(db, row.blob_id) : undefined;
      if (!row || !data) throw new AppError("not_found", "the archive no longer exists (its module was deleted)");
      void reply.header("content-type", "application/gzip").header("x-checksum-sha256", row.sha256).header("cache-control", "private, max-age=300");
      return reply.send(data);
    },
  });
}

const addressParams = ["namespace", "name", "provider"].map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
const op = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({ operationId, tags: ["registry-protocol"], summary, ...extra });

/** The registry protocol in the OpenAPI document. */
export const moduleRegistryOperations: ProtocolOperation[] = [
  { method: "get", path: "/.well-known/terraform.json", operation: op("registryDiscovery", "terraform's service discovery: where modules.v1, providers.v1 and login.v1 are served", { responses: { "200": { description: "service URLs" } } }) },
  { method: "get", path: "/v1/modules/{namespace}/{name}/{provider}/versions", operation: op("registryModuleVersions", "the versions terraform may pick (ACTIVE only); 404 when the module is missing or not readable", { security: [{ bearer: [] }], parameters: addressParams, responses: { "200": { description: "versions" } } }) },
  { method: "get", path: "/v1/modules/{namespace}/{name}/{provider}/{version}/download", operation: op("registryModuleDownload", "204 with X-Terraform-Get: a signed archive link valid 5 minutes", { security: [{ bearer: [] }], parameters: [...addressParams, { name: "version", in: "path", required: true, schema: { type: "string" } }], responses: { "204": { description: "see X-Terraform-Get" } } }) },
  { method: "get", path: "/registry/archives/{file}", operation: op("registryModuleArchive", "a version's tar.gz, by signed link (expires, signature)", { parameters: [{ name: "file", in: "path", required: true, schema: { type: "string" } }, { name: "expires", in: "query", required: true, schema: { type: "string" } }, { name: "signature", in: "query", required: true, schema: { type: "string" } }], responses: { "200": { description: "application/gzip" } } }) },
];
