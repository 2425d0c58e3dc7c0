import { GANTRY_PROVIDER_SOURCE } from "./provider-mirror.js";

/**
 * The `provider_installation` block of an administrative run's CLI config: the Gantry provider
 * comes from the worker's filesystem mirror, every other provider installs as usual.
 *
 * @example
 * providerInstallation("/srv/gantry/mirror");
 * // provider_installation { filesystem_mirror { path = "/srv/gantry/mirror" include = ["gantry.dev/gantry/gantry"] } direct { exclude = [...] } }
 */
export function providerInstallation(mirrorDir: string): string {
  const source = JSON.stringify(GANTRY_PROVIDER_SOURCE);
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${source}]`,
    "  }",
    "  direct {",
    `    exclude = [${source}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}
