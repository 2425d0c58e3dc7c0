import type { AdministrativeOptions } from "./administrative-run.js";
import { defaultProviderMirror } from "./provider-mirror.js";

/**
 * The worker's settings for administrative runs: the options given (the CLI reads them from
 * flags and GANTRY_PROVIDER_MIRROR / GANTRY_PROVIDER_REATTACH), else the defaults: the built
 * mirror of the providers package, reattach on.
 */
export function administrativeOptions(opts: { providerMirror?: string; providerReattach?: boolean }): AdministrativeOptions {
  return { mirrorDir: opts.providerMirror ?? defaultProviderMirror(), reattach: opts.providerReattach ?? true };
}

/** Reads a yes/no setting from the environment the way the CLI's flags do: 0, false, off and no mean no. */
export function envSwitch(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  return !["0", "false", "off", "no"].includes(v);
}
