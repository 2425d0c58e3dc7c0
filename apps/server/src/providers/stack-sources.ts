import { providerSourceParts, shippedInstallPattern, SHIPPED_PROVIDERS } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import { toBool } from "../db/rows.js";
import type { RegistrySettings } from "../modules/rows.js";
import { stackCanUseNamespace } from "./visibility.js";

/**
 * The provider address patterns a stack's runs install from Gantry's network mirror: each
 * namespace the stack may use that holds a provider, under the registry host and its aliases,
 * and each shipped provider under its own address (`gantry.dev/sim/*`; on a public registry's
 * host only the exact address, `registry.terraform.io/spacelift-io/spacelift`). Namespaces the stack
 * cannot use are left out, so terraform looks elsewhere (or fails) rather than getting a 404.
 */
export async function stackProviderSources(db: Db, stackSpaceId: string, registry: RegistrySettings): Promise<string[]> {
  const held = await db.selectFrom("provider_namespaces").selectAll().where("id", "in", db.selectFrom("provider_versions").select("namespace_id")).orderBy("id").execute();
  const out = new Set<string>();
  for (const ns of held) {
    if (!(await stackCanUseNamespace(db, stackSpaceId, ns))) continue;
    if (toBool(ns.shipped)) {
      for (const p of SHIPPED_PROVIDERS) if (providerSourceParts(p.source).namespace === ns.id) out.add(shippedInstallPattern(p));
    }
    for (const host of [registry.host, ...registry.aliases]) out.add(`${host}/${ns.id}/*`);
  }
  return [...out];
}
