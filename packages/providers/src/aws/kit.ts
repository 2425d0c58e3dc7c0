import { providerKit } from "@gantry/tfplugin";
import type { SimClient } from "./client.js";

/** Definition helpers bound to the simulator's client type. */
export const kit = providerKit<SimClient>();
