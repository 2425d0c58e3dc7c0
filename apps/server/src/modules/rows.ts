import type { Module, ModuleChangelog, ModuleVersion, ModuleVersionState, ModuleVersionTest, PublishImpact } from "@gantry/contract";
import { parseJson, toBool } from "../db/rows.js";
import type { ModulesTable, ModuleVersionsTable } from "../db/schema.js";

/** Where the registry is reached: the host people write in `source =` lines, known once the server listens. */
export interface RegistrySettings {
  /** The registry hostname (with port when not 443), e.g. `127.0.0.1:4811` or `registry.example.com`. */
  host: string;
  /** Further hostnames that mean this registry in source addresses (e.g. `spacelift.io`). */
  aliases: string[];
  /** The HTTPS base URL terraform reaches the registry at (null: no HTTPS listener, so no registry). */
  httpsUrl: string | null;
  /** The PEM of the CA that signed the HTTPS certificate, when Gantry made it (runs trust it). */
  caCertificatePem: string | null;
  /** Largest module archive accepted, in bytes. */
  archiveMaxBytes: number;
}

/** The address terraform resolves a module by: `<host>/<namespace>/<name>/<provider>`. */
export function moduleSource(host: string, r: Pick<ModulesTable, "namespace" | "name" | "terraform_provider">): string {
  return `${host}/${r.namespace}/${r.name}/${r.terraform_provider}`;
}

export function moduleFromRow(r: ModulesTable, registry: RegistrySettings, latestVersion: string | null): Module {
  return {
    id: r.id, name: r.name, terraformProvider: r.terraform_provider, namespace: r.namespace, description: r.description,
    repository: r.repository, branch: r.branch, projectRoot: r.project_root, spaceId: r.space_id, labels: parseJson(r.labels),
    sharedWith: parseJson(r.shared_with), workerPoolId: r.worker_pool_id, protectFromDeletion: toBool(r.protect_from_deletion),
    triggerConsumers: r.trigger_consumers as Module["triggerConsumers"], offerFailedVersions: toBool(r.offer_failed_versions ?? 0),
    source: moduleSource(registry.host, r), latestVersion, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** What becoming ACTIVE did, once it is known (`{}` marks a reaction being worked out, see activation.ts). */
function impactOf(r: ModuleVersionsTable): PublishImpact | null {
  const parsed = r.impact ? parseJson<Partial<PublishImpact>>(r.impact) : null;
  return parsed && typeof parsed.version === "string" ? (parsed as PublishImpact) : null;
}

/** The publisher's name as stored (see publisher.ts); null for versions published before it was kept. */
function publishedByOf(r: ModuleVersionsTable): string | null {
  return r.published_by ? parseJson<{ name: string }>(r.published_by).name : null;
}

/** A version as the API shows it; `tests` come from module_version_tests (see test-runs.ts). */
export function versionFromRow(r: ModuleVersionsTable, tests: ModuleVersionTest[] = []): ModuleVersion {
  return {
    publishedBy: publishedByOf(r), impact: impactOf(r),
    moduleId: r.module_id, version: r.version, state: r.state as ModuleVersionState, commit: r.commit_sha, author: r.author, message: r.message,
    tag: r.tag, size: r.size, sha256: r.sha256, changelog: parseJson<ModuleChangelog>(r.changelog), tests, createdAt: r.created_at,
  };
}
