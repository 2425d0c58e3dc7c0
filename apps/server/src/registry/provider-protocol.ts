import type { FastifyRequest } from "fastify";
import semver from "semver";
import { SHIPPED_PROVIDERS } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import type { ProviderNamespacesTable, ProviderVersionsTable } from "../db/schema-providers.js";
import { parseJson, toBool } from "../db/rows.js";
import { AppError } from "../errors.js";
import type { RegistrySettings } from "../modules/rows.js";
import { principalCanReadNamespace, stackCanUseNamespace } from "../providers/visibility.js";
import { executingStates } from "../runs/repository.js";

export interface ProviderAddress { namespace: string; type: string }

/** The same answer for "no such provider" and "a provider you may not read": nothing leaks. */
export const providerNotFound = (a: ProviderAddress) => new AppError("not_found", `provider ${a.namespace}/${a.type} does not exist in this registry, or your token cannot read it: check the source address, and the namespace's space and sharedWith`);

/**
 * Finds a namespace and checks the caller may read it: a run (by its registry token) while it
 * executes, for a namespace its stack can use; a person with the read role (shipped namespaces:
 * everyone).
 */
export async function visibleNamespace(db: Db, req: FastifyRequest, a: ProviderAddress): Promise<ProviderNamespacesTable> {
  const ns = await db.selectFrom("provider_namespaces").selectAll().where("id", "=", a.namespace).executeTakeFirst();
  if (!ns) throw providerNotFound(a);
  const caller = req.caller;
  if (caller.kind === "run") {
    if (!executingStates.includes(caller.run.state as never)) throw new AppError("unauthenticated", "this run's registry token is no longer valid: the run is not executing");
    const stack = await db.selectFrom("stacks").select("space_id").where("id", "=", caller.run.stack_id).executeTakeFirst();
    if (stack && (await stackCanUseNamespace(db, stack.space_id, ns))) return ns;
    throw providerNotFound(a);
  }
  if (caller.kind === "user" && (await principalCanReadNamespace(db, caller.principal, ns))) return ns;
  throw providerNotFound(a);
}

/** The provider's versions, newest first, each with its packages' platforms. */
export async function providerVersions(db: Db, namespaceId: string, type: string): Promise<{ version: ProviderVersionsTable; platforms: { os: string; arch: string; id: string; filename: string; sha256: string; h1: string }[] }[]> {
  const versions = await db.selectFrom("provider_versions").selectAll().where("namespace_id", "=", namespaceId).where("type", "=", type).execute();
  if (versions.length === 0) return [];
  const packages = await db.selectFrom("provider_packages").select(["id", "version_id", "os", "arch", "filename", "sha256", "h1"]).where("version_id", "in", versions.map((v) => v.id)).orderBy("os").orderBy("arch").execute();
  return versions
    .sort((x, y) => semver.rcompare(x.version, y.version))
    .map((version) => ({ version, platforms: packages.filter((p) => p.version_id === version.id) }));
}

/**
 * Whether a network-mirror address is one Gantry hosts: a shipped provider under its own address
 * (`gantry.dev/sim/aws`, `registry.terraform.io/spacelift-io/spacelift`: exactly that provider,
 * never the rest of a public registry's namespace), or any namespace's provider under the
 * registry host and its aliases.
 */
export function mirrorsHost(registry: RegistrySettings, a: ProviderAddress & { hostname: string }, ns: Pick<ProviderNamespacesTable, "shipped">): boolean {
  if ([registry.host, ...registry.aliases].includes(a.hostname)) return true;
  return toBool(ns.shipped) && SHIPPED_PROVIDERS.some((p) => p.source === `${a.hostname}/${a.namespace}/${a.type}`);
}

export const protocolsOf = (v: ProviderVersionsTable): string[] => parseJson<string[]>(v.protocols);
