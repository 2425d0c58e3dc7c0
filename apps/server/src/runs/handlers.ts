import type { runEndpoints } from "@gantry/contract";
import type { Handlers } from "../http/handlers.js";
import type { Services } from "../services.js";

/** Handlers of the run engine's endpoints. (Filled in by the run-engine work.) */
export function runHandlers(_s: Services): Pick<Handlers, keyof typeof runEndpoints> {
  return {};
}
