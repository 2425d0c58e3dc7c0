import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Source address of the AWS simulator provider (local name `aws`). */
export const AWS_SIMULATOR_SOURCE = "gantry.dev/sim/aws";

/**
 * Gantry's provider under Spacelift's source address (`spacelift-io/spacelift` in a
 * `required_providers` block), with Spacelift's resource names (docs/spacelift-provider.md).
 */
export const SPACELIFT_PROVIDER_SOURCE = "registry.terraform.io/spacelift-io/spacelift";

const dirs = (path: string) => readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

/**
 * Every provider present in a mirror (`<mirror>/<host>/<namespace>/<type>`): the shipped ones,
 * and whatever an operator of an offline installation put beside them (a provider laid out as
 * `terraform providers mirror` does), which runs then install from there instead of the network.
 */
export function providersInMirror(mirrorDir: string | undefined): string[] {
  if (!mirrorDir || !existsSync(mirrorDir)) return [];
  const found: string[] = [];
  for (const host of dirs(mirrorDir).filter((h) => h.includes("."))) {
    for (const namespace of dirs(join(mirrorDir, host))) {
      for (const type of dirs(join(mirrorDir, host, namespace))) found.push(`${host}/${namespace}/${type}`);
    }
  }
  return found.sort();
}

/**
 * Where providers that Gantry does not host come from: nowhere (`none`, the default: runs stay
 * offline and a missing provider fails init), the public registries (`direct`), or a network
 * mirror of the operator's (an HTTPS URL).
 */
export type ProviderUpstream = "none" | "direct" | { mirrorUrl: string };

/** Parses `--provider-upstream-mirror` (`direct`, `none` or an https URL), or says what is wrong. */
export function parseProviderUpstream(value: string | undefined): ProviderUpstream | { error: string } {
  const v = value?.trim();
  if (!v || v === "none") return "none";
  if (v === "direct") return "direct";
  try {
    const url = new URL(v);
    if (url.protocol !== "https:") return { error: `provider upstream mirror ${JSON.stringify(v)} must be an https:// URL (terraform speaks the network mirror protocol over HTTPS only), or direct, or none` };
    return { mirrorUrl: url.toString().endsWith("/") ? url.toString() : `${url.toString()}/` };
  } catch {
    return { error: `provider upstream mirror ${JSON.stringify(v)} is not a URL: give an https:// network mirror URL, or direct, or none` };
  }
}

/** Where a run installs its providers from. */
export interface ProviderInstallationPlan {
  /** Gantry's network mirror (`<registry>/v1/mirror/`) and the address patterns it serves this stack (shipped hosts such as gantry.dev). */
  gantryMirror?: { url: string; include: readonly string[] };
  /**
   * Patterns on Gantry's own registry hosts (`127.0.0.1:4811/acme/*`), installed by the provider
   * registry protocol (providers.v1, signatures checked): terraform's network mirror client
   * cannot address a host with a port, and the registry host is Gantry anyway.
   */
  gantryRegistry?: { include: readonly string[] };
  /** The worker's filesystem mirror, for shipped providers Gantry's registry does not serve (no HTTPS, not built). */
  filesystem?: { dir: string; include: readonly string[] };
  upstream: ProviderUpstream;
}

/**
 * The `provider_installation` block of a run's CLI config: Gantry's network mirror for the
 * namespaces it hosts, the worker's filesystem mirror for shipped providers it does not, and
 * the upstream for every other provider (none: left out, so init stays offline). Empty when
 * there is nothing to say (no mirror and `direct`: terraform's default).
 *
 * @example
 * providerInstallation({ gantryMirror: { url: "https://127.0.0.1:4811/v1/mirror/", include: ["gantry.dev/sim/*"] }, upstream: "none" });
 * // provider_installation { network_mirror { url = "..." include = ["gantry.dev/sim/*"] } }
 */
export function providerInstallation(plan: ProviderInstallationPlan): string {
  const list = (xs: readonly string[]) => `[${xs.map((s) => JSON.stringify(s)).join(", ")}]`;
  const hosted = [...(plan.gantryMirror?.include ?? []), ...(plan.filesystem?.include ?? [])];
  const registry = plan.gantryRegistry?.include ?? [];
  const lines: string[] = [];
  if (plan.gantryMirror && plan.gantryMirror.include.length) lines.push("  network_mirror {", `    url     = ${JSON.stringify(plan.gantryMirror.url)}`, `    include = ${list(plan.gantryMirror.include)}`, "  }");
  if (plan.filesystem && plan.filesystem.include.length) lines.push("  filesystem_mirror {", `    path    = ${JSON.stringify(plan.filesystem.dir)}`, `    include = ${list(plan.filesystem.include)}`, "  }");
  if (plan.upstream === "direct") {
    // Direct covers Gantry's registry hosts too: their discovery (or a host block) leads to Gantry.
    if (hosted.length === 0) return "";
    lines.push("  direct {", `    exclude = ${list(hosted)}`, "  }");
  } else {
    if (registry.length) lines.push("  direct {", `    include = ${list(registry)}`, "  }");
    if (plan.upstream !== "none") lines.push("  network_mirror {", `    url = ${JSON.stringify(plan.upstream.mirrorUrl)}`, ...(hosted.length + registry.length ? [`    exclude = ${list([...hosted, ...registry])}`] : []), "  }");
  }
  // With no upstream and nothing hosted, an empty block still keeps terraform offline.
  return ["provider_installation {", ...lines, "}", ""].join("\n");
}

/** One line for the run log: where providers come from (no tokens, no keys). */
export function describeInstallation(plan: ProviderInstallationPlan): string {
  const parts: string[] = [];
  if (plan.gantryMirror?.include.length) parts.push(`${plan.gantryMirror.include.join(", ")} from Gantry's provider mirror`);
  if (plan.gantryRegistry?.include.length) parts.push(`${plan.gantryRegistry.include.join(", ")} from Gantry's provider registry`);
  if (plan.filesystem?.include.length) parts.push(`${plan.filesystem.include.join(", ")} from the worker's filesystem mirror`);
  const upstream = plan.upstream === "none" ? "none (offline: set --provider-upstream-mirror to a mirror URL or direct to install others)" : plan.upstream === "direct" ? "their origin registries (direct)" : plan.upstream.mirrorUrl;
  parts.push(`every other provider: ${upstream}`);
  return `providers: ${parts.join("; ")}`;
}
