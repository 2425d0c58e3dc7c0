import type { ProviderNamespace, ProviderVersion } from "@gantry/contract";
import { parseJson, toBool } from "../db/rows.js";
import type { ProviderGpgKeysTable, ProviderNamespacesTable, ProviderPackagesTable, ProviderVersionsTable } from "../db/schema-providers.js";

export function namespaceFromRow(r: ProviderNamespacesTable, keys: ProviderGpgKeysTable[]): ProviderNamespace {
  return {
    id: r.id, spaceId: r.space_id, sharedWith: parseJson<string[]>(r.shared_with), shipped: toBool(r.shipped),
    keys: keys.map((k) => ({ keyId: k.key_id, fingerprint: k.fingerprint, asciiArmor: k.ascii_armor, createdAt: k.created_at })),
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function versionFromRow(r: ProviderVersionsTable, packages: ProviderPackagesTable[]): ProviderVersion {
  return {
    namespace: r.namespace_id, type: r.type, version: r.version, protocols: parseJson<string[]>(r.protocols), keyId: r.key_id, yanked: toBool(r.yanked),
    platforms: packages.map((p) => ({ os: p.os, arch: p.arch, filename: p.filename, size: p.size, sha256: p.sha256, h1: p.h1 })),
    createdAt: r.created_at,
  };
}
