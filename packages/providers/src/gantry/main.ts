// Entry point of terraform-provider-gantry (source gantry.dev/gantry/gantry).
import { serve } from "@gantry/tfplugin";
import { gantryProvider } from "./provider.js";

serve(gantryProvider);
