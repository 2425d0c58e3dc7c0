import { existsSync } from "node:fs";
import { join } from "node:path";
import { GANTRY_PROVIDER_SOURCE } from "../admin/provider-mirror.js";

/** Source address of the AWS simulator provider (local name `aws`). */
export const AWS_SIMULATOR_SOURCE = "gantry.dev/sim/aws";

/**
 * The providers Gantry ships and every run may install from the worker's filesystem mirror
 * with a plain `required_providers` block. This is the seam a provider registry would replace:
 * it would serve these (and more) over the provider registry protocol instead.
 */
export const MIRRORED_SOURCES = [GANTRY_PROVIDER_SOURCE, AWS_SIMULATOR_SOURCE] as const;

/** The shipped providers that are present in a mirror (`<mirror>/<host>/<namespace>/<type>`). */
export function providersInMirror(mirrorDir: string | undefined): string[] {
  if (!mirrorDir) return [];
  return MIRRORED_SOURCES.filter((source) => existsSync(join(mirrorDir, ...source.split("/"))));
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
