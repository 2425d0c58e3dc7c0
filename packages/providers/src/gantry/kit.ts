import { providerKit } from "@gantry/tfplugin";
import type { GantryProviderClient } from "./api.js";

/** Definition helpers bound to the Gantry provider's client. */
export const kit = providerKit<GantryProviderClient>();
