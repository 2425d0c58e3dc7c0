import { hookNames, type Hooks } from "@gantry/contract";

/** `beforeInit: make init; afterRun: notify` for the phases that have commands, or `-`. */
export function hooksDetails(hooks: Hooks): string {
  const set = hookNames.filter((h) => hooks[h].length > 0).map((h) => `${h}: ${hooks[h].join("; ")}`);
  return set.length ? set.join(" | ") : "-";
}
