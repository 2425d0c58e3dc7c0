/**
 * Table types of the provider registry, registry tokens and login codes (migrations 0075, 0076, 0095 to 0097), merged into the
 * one `Database` interface of `schema.ts` (declaration merging keeps this domain's tables in
 * one file of their own).
 */
export interface ProviderNamespacesTable { id: string; space_id: string; shared_with: string; shipped: number; created_at: string; updated_at: string }
export interface ProviderGpgKeysTable { namespace_id: string; key_id: string; fingerprint: string; ascii_armor: string; created_at: string }
export interface ProviderVersionsTable { id: string; namespace_id: string; type: string; version: string; protocols: string; shasums: string; shasums_signature: string; key_id: string; created_at: string; yanked: number; build_fingerprint: string | null }
export interface ProviderPackagesTable { id: string; version_id: string; os: string; arch: string; filename: string; blob_id: string; size: number; sha256: string; h1: string }
export interface RegistryTokensTable { id: string; secret_hash: string; run_id: string | null; user_id: string | null; description: string; created_at: string; expires_at: string | null; last_used_at: string | null }

export interface RunProviderPinsTable { run_id: string; namespace_id: string; type: string; version: string }

export interface RegistryLoginCodesTable { code_hash: string; user_id: string; client_id: string; redirect_uri: string; code_challenge: string; created_at: string; expires_at: string }

declare module "./schema.js" {
  interface Database {
    provider_namespaces: ProviderNamespacesTable;
    provider_gpg_keys: ProviderGpgKeysTable;
    provider_versions: ProviderVersionsTable;
    provider_packages: ProviderPackagesTable;
    registry_tokens: RegistryTokensTable;
    registry_login_codes: RegistryLoginCodesTable;
    run_provider_pins: RunProviderPinsTable;
  }
}
