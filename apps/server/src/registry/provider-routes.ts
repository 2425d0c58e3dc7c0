import type { FastifyRequest } from "fastify";
import type { RouteAuth } from "../auth/request-authentication.js";
import type { Db } from "../db/connect.js";
import { toBool } from "../db/rows.js";
import { AppError } from "../errors.js";
import type { buildApp } from "../http/app.js";
import type { ProtocolOperation } from "../http/openapi.js";
import type { RegistrySettings } from "../modules/rows.js";
import type { BlobStore } from "../runs/blob-store.js";
import { protocolsOf, providerNotFound, providerVersions, mirrorsHost, visibleNamespace, type ProviderAddress } from "./provider-protocol.js";
import { pinnedVersion } from "../providers/run-pins.js";
import { signedLinks } from "./signed-links.js";

const registry = { auth: "registry" as RouteAuth };
const pub = { auth: "public" as RouteAuth };

/**
 * Terraform's provider registry protocol (providers.v1) and provider network mirror protocol,
 * served from the provider registry's tables. Terraform sends no token to the download links it
 * is given (zip, SHA256SUMS, signature), so those are signed and expire after 5 minutes.
 */
export function mountProviderRegistry(app: ReturnType<typeof buildApp>, deps: { db: Db; blobs: BlobStore; settings: RegistrySettings; signingKey: Buffer }): void {
  const { db, blobs, settings } = deps;
  const links = signedLinks(deps.signingKey);
  const base = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
  const packageLink = (req: FastifyRequest, id: string, filename: string) => base(req) + links.sign("provider-package", id, `/registry/providers/packages/${id}/${encodeURIComponent(filename)}`);

  /**
   * Which versions a caller's version list holds: every version that is not yanked, and the one
   * its lock file pins when the caller is a run (terraform lists versions even for a locked
   * provider, so without it a yanked pin could not install; fresh constraints never see it).
   */
  const offeredTo = async (req: FastifyRequest, a: ProviderAddress) => {
    const pinned = req.caller.kind === "run" ? await pinnedVersion(db, req.caller.run.id, a.namespace, a.type) : undefined;
    return (v: { yanked: number; version: string }) => !toBool(v.yanked) || v.version === pinned;
  };

  app.get("/v1/providers/:namespace/:type/versions", { config: registry }, async (req) => {
    const a = req.params as ProviderAddress;
    await visibleNamespace(db, req, a);
    const versions = await providerVersions(db, a.namespace, a.type);
    if (versions.length === 0) throw providerNotFound(a);
    // Yanked versions are not offered (but to a run whose lock file pins them); their download endpoint still answers an exact pin.
    const offered = await offeredTo(req, a);
    return { id: `${a.namespace}/${a.type}`, versions: versions.filter((v) => offered(v.version)).map((v) => ({ version: v.version.version, protocols: protocolsOf(v.version), platforms: v.platforms.map((p) => ({ os: p.os, arch: p.arch })) })), warnings: null };
  });

  app.get("/v1/providers/:namespace/:type/:version/download/:os/:arch", { config: registry }, async (req) => {
    const a = req.params as ProviderAddress & { version: string; os: string; arch: string };
    await visibleNamespace(db, req, a);
    const v = (await providerVersions(db, a.namespace, a.type)).find((x) => x.version.version === a.version);
    const p = v?.platforms.find((x) => x.os === a.os && x.arch === a.arch);
    if (!v || !p) throw new AppError("not_found", `provider ${a.namespace}/${a.type} has no ${a.version} build for ${a.os}_${a.arch}: see the versions endpoint for the platforms published`);
    const key = await db.selectFrom("provider_gpg_keys").selectAll().where("namespace_id", "=", a.namespace).where("key_id", "=", v.version.key_id).executeTakeFirst();
    return {
      protocols: protocolsOf(v.version), os: p.os, arch: p.arch, filename: p.filename,
      download_url: packageLink(req, p.id, p.filename),
      shasums_url: base(req) + links.sign("provider-shasums", v.version.id, `/registry/providers/shasums/${v.version.id}/SHA256SUMS`),
      shasums_signature_url: base(req) + links.sign("provider-shasums-sig", v.version.id, `/registry/providers/shasums/${v.version.id}/SHA256SUMS.sig`),
      shasum: p.sha256,
      signing_keys: { gpg_public_keys: key ? [{ key_id: key.key_id, ascii_armor: key.ascii_armor, trust_signature: "", source: "Gantry", source_url: null }] : [] },
    };
  });

  // The network mirror protocol: `<base>/<hostname>/<namespace>/<type>/index.json` and `<version>.json`.
  app.get("/v1/mirror/:hostname/:namespace/:type/:file", { config: registry }, async (req) => {
    const a = req.params as ProviderAddress & { hostname: string; file: string };
    const ns = await visibleNamespace(db, req, a);
    if (!mirrorsHost(settings, a, ns)) throw providerNotFound(a);
    const versions = await providerVersions(db, a.namespace, a.type);
    if (versions.length === 0) throw providerNotFound(a);
    // Yanked versions are left out of the index (no constraint picks them) but keep their
    // <version>.json: terraform asks for it directly when a lock file pins that version.
    if (a.file === "index.json") {
      const offered = await offeredTo(req, a);
      return { versions: Object.fromEntries(versions.filter((v) => offered(v.version)).map((v) => [v.version.version, {}])) };
    }
    const version = a.file.endsWith(".json") ? a.file.slice(0, -".json".length) : "";
    const v = versions.find((x) => x.version.version === version);
    if (!v) throw new AppError("not_found", `provider ${a.namespace}/${a.type} has no version ${JSON.stringify(version)} in this mirror: see index.json`);
    return { archives: Object.fromEntries(v.platforms.map((p) => [`${p.os}_${p.arch}`, { url: packageLink(req, p.id, p.filename), hashes: [p.h1, `zh:${p.sha256}`] }])) };
  });

  // The links terraform downloads without a token: the signature is the permission.
  app.get("/registry/providers/packages/:id/:filename", { config: pub }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const refused = links.check("provider-package", id, req.query as { expires?: string; signature?: string });
    if (refused) throw new AppError("forbidden", refused);
    const row = await db.selectFrom("provider_packages").select(["blob_id", "sha256"]).where("id", "=", id).executeTakeFirst();
    const data = row ? await blobs.byId(db, row.blob_id) : undefined;
    if (!row || !data) throw new AppError("not_found", "the provider package no longer exists (its version was deleted)");
    return reply.header("content-type", "application/zip").header("x-checksum-sha256", row.sha256).header("cache-control", "private, max-age=300").send(data);
  });

  app.get("/registry/providers/shasums/:id/:file", { config: pub }, async (req, reply) => {
    const { id, file } = req.params as { id: string; file: string };
    const signature = file === "SHA256SUMS.sig";
    if (!signature && file !== "SHA256SUMS") throw new AppError("not_found", `no file ${JSON.stringify(file)}: only SHA256SUMS and SHA256SUMS.sig`);
    const refused = links.check(signature ? "provider-shasums-sig" : "provider-shasums", id, req.query as { expires?: string; signature?: string });
    if (refused) throw new AppError("forbidden", refused);
    const row = await db.selectFrom("provider_versions").select(["shasums", "shasums_signature"]).where("id", "=", id).executeTakeFirst();
    if (!row) throw new AppError("not_found", "the provider version no longer exists");
    return signature ? reply.header("content-type", "application/octet-stream").send(Buffer.from(row.shasums_signature, "base64")) : reply.header("content-type", "text/plain; charset=utf-8").send(row.shasums);
  });
}

const p = (name: string, where = "path") => ({ name, in: where, required: true, schema: { type: "string" } });
const op = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({ operationId, tags: ["registry-protocol"], summary, ...extra });
const signedQuery = [p("expires", "query"), p("signature", "query")];

/** The provider registry and mirror protocols in the OpenAPI document. */
export const providerRegistryOperations: ProtocolOperation[] = [
  { method: "get", path: "/v1/providers/{namespace}/{type}/versions", operation: op("registryProviderVersions", "providers.v1: versions with protocols and platforms; 404 when missing or not readable", { security: [{ bearer: [] }], parameters: [p("namespace"), p("type")], responses: { "200": { description: "versions" } } }) },
  { method: "get", path: "/v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}", operation: op("registryProviderDownload", "providers.v1: one platform's package with signed links to the zip, SHA256SUMS and its signature, and the namespace key", { security: [{ bearer: [] }], parameters: [p("namespace"), p("type"), p("version"), p("os"), p("arch")], responses: { "200": { description: "package metadata" } } }) },
  { method: "get", path: "/v1/mirror/{hostname}/{namespace}/{type}/{file}", operation: op("registryProviderMirror", "network mirror protocol: index.json (versions) or <version>.json (archives with h1/zh hashes)", { security: [{ bearer: [] }], parameters: [p("hostname"), p("namespace"), p("type"), p("file")], responses: { "200": { description: "mirror document" } } }) },
  { method: "get", path: "/registry/providers/packages/{id}/{filename}", operation: op("registryProviderPackage", "a provider zip, by signed link", { parameters: [p("id"), p("filename"), ...signedQuery], responses: { "200": { description: "application/zip" } } }) },
  { method: "get", path: "/registry/providers/shasums/{id}/{file}", operation: op("registryProviderShasums", "SHA256SUMS or SHA256SUMS.sig of a version, by signed link", { parameters: [p("id"), p("file"), ...signedQuery], responses: { "200": { description: "the file" } } }) },
];
