import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GANTRY_PROVIDER_SOURCE } from "../admin/provider-mirror.js";

/** Source address of the AWS simulator provider (local name `aws`). */
export const AWS_SIMULATOR_SOURCE = "gantry.dev/sim/aws";

/**
 * Gantry's provider under Spacelift's source address (`spacelift-io/spacelift` in a
 * `required_providers` block), with Spacelift's resource names (docs/spacelift-provider.md).
 */
export const SPACELIFT_PROVIDER_SOURCE = "registry.terraform.io/spacelift-io/spacelift";

/**
 * The providers Gantry ships and every run may install from the worker's filesystem mirror
 * with a plain `required_providers` block. This is the seam a provider registry would replace:
 * it would serve these (and more) over the provider registry protocol instead.
 */
export const MIRRORED_SOURCES = [GANTRY_PROVIDER_SOURCE, AWS_SIMULATOR_SOURCE, SPACELIFT_PROVIDER_SOURCE] as const;

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
 * The `provider_installation` block of a run's CLI config: `sources` come from the worker's
 * filesystem mirror, every other provider installs as usual. Empty when there is nothing to mirror.
 *
 * @example
 * providerInstallation("/srv/gantry/mirror", ["gantry.dev/sim/aws"]);
 * // provider_installation { filesystem_mirror { path = "/srv/gantry/mirror" include = ["gantry.dev/sim/aws"] } direct { exclude = [...] } }
 */
export function providerInstallation(mirrorDir: string, sources: readonly string[]): string {
  if (sources.length === 0) return "";
  const list = sources.map((s) => JSON.stringify(s)).join(", ");
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${list}]`,
    "  }",
    "  direct {",
    `    exclude = [${list}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}
