import type { AttributePath, Diagnostics } from "@gantry/tfplugin";
import { isUnknown } from "@gantry/tfplugin";

/**
 * What Gantry does with a Spacelift attribute it accepts but cannot honour: `warn` plans with a
 * warning naming what is ignored; `refuse` fails validation with what to do instead. `unless`
 * is the value Gantry behaves as anyway, which needs no warning.
 */
export interface Unsupported {
  readonly effect: "warn" | "refuse";
  readonly why: string;
  readonly unless?: unknown;
}

const isSet = (v: unknown) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);

/**
 * Adds a diagnostic for every configured attribute of `table` (at its line): Spacelift settings
 * are never dropped silently.
 */
export function reportUnsupported(typeName: string, config: Record<string, unknown>, table: Record<string, Unsupported>, diagnostics: Diagnostics, at: AttributePath = []): void {
  for (const [name, rule] of Object.entries(table)) {
    const value = config[name];
    if (!isSet(value) || isUnknown(value)) continue;
    if (rule.unless !== undefined && value === rule.unless) continue;
    const path = [...at, name];
    if (rule.effect === "refuse") diagnostics.error(`${typeName}: ${name} is not supported by Gantry yet`, rule.why, path);
    else diagnostics.warning(`${typeName}: ${name} is ignored by Gantry`, rule.why, path);
  }
}
