import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { IdParams, page, PageQuery } from "./schemas/common.js";
import {
  AddProviderGpgKey, CreateProviderNamespace, Provider, ProviderGpgKey, ProviderGpgKeyParams, ProviderNamespace, ProviderParams,
  ProviderPublishResult, ProviderVersion, ProviderVersionParams, PROVIDER_PUBLISH_MAX_BYTES, PublishProviderVersion, UpdateProviderVersion,
} from "./schemas/provider.js";

const read = { kind: "space", role: "read" } as const;
const write = { kind: "space", role: "write" } as const;
const authenticated = { kind: "authenticated" } as const;

/**
 * The provider registry's management API: namespaces (space, shared spaces, GPG keys) and the
 * provider versions published in them. Access follows the namespace's space, like modules.
 */
export const providerEndpoints = {
  listProviderNamespaces: endpoint({ method: "GET", path: "/api/v1/provider-namespaces", tag: "providers", summary: "list the provider namespaces the caller can read", access: authenticated, query: PageQuery, response: page(ProviderNamespace) }),
  getProviderNamespace: endpoint({ method: "GET", path: "/api/v1/provider-namespaces/{id}", tag: "providers", summary: "get a provider namespace with its GPG keys", access: read, params: IdParams, response: ProviderNamespace }),
  createProviderNamespace: endpoint({ method: "POST", path: "/api/v1/provider-namespaces", tag: "providers", summary: "register a provider namespace in a space", access: write, body: CreateProviderNamespace, response: ProviderNamespace, status: 201 }),
  deleteProviderNamespace: endpoint({ method: "DELETE", path: "/api/v1/provider-namespaces/{id}", tag: "providers", summary: "delete an empty provider namespace (refused while it holds providers, and for shipped ones)", access: write, params: IdParams, response: null, status: 204 }),
  addProviderGpgKey: endpoint({ method: "POST", path: "/api/v1/provider-namespaces/{id}/gpg-keys", tag: "providers", summary: "register a GPG public key that signs the namespace's SHA256SUMS", access: write, params: IdParams, body: AddProviderGpgKey, response: ProviderGpgKey, status: 201 }),
  deleteProviderGpgKey: endpoint({ method: "DELETE", path: "/api/v1/provider-namespaces/{id}/gpg-keys/{keyId}", tag: "providers", summary: "remove a GPG key (refused while a published version was signed with it)", access: write, params: ProviderGpgKeyParams, response: null, status: 204 }),
  listProviders: endpoint({ method: "GET", path: "/api/v1/providers", tag: "providers", summary: "list the providers the caller can read, with their latest version", access: authenticated, response: z.object({ items: z.array(Provider) }) }),
  listProviderVersions: endpoint({ method: "GET", path: "/api/v1/provider-namespaces/{id}/providers/{type}/versions", tag: "providers", summary: "every version of a provider, newest first, with its platforms", access: read, params: ProviderParams, response: z.object({ items: z.array(ProviderVersion) }) }),
  publishProviderVersion: endpoint({ method: "POST", path: "/api/v1/provider-namespaces/{id}/providers/{type}/versions", tag: "providers", summary: "publish a version: each zip is checked against SHA256SUMS and SHA256SUMS against its signature and the namespace's keys", access: write, params: ProviderParams, body: PublishProviderVersion, response: ProviderPublishResult, status: 201, bodyLimit: Math.ceil((PROVIDER_PUBLISH_MAX_BYTES * 4) / 3) + 2 * 1024 * 1024 }),
  updateProviderVersion: endpoint({ method: "PATCH", path: "/api/v1/provider-namespaces/{id}/providers/{type}/versions/{version}", tag: "providers", summary: "yank a version (left out of terraform's version lists, still downloadable by exact version for lock files) or unyank it", access: write, params: ProviderVersionParams, body: UpdateProviderVersion, response: ProviderVersion }),
  deleteProviderVersion: endpoint({ method: "DELETE", path: "/api/v1/provider-namespaces/{id}/providers/{type}/versions/{version}", tag: "providers", summary: "delete a version (lock files naming its hashes will no longer install)", access: write, params: ProviderVersionParams, response: null, status: 204 }),
  deleteProvider: endpoint({ method: "DELETE", path: "/api/v1/provider-namespaces/{id}/providers/{type}", tag: "providers", summary: "delete a provider and every version of it", access: write, params: ProviderParams, response: null, status: 204 }),
};
