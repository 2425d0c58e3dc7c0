// Entry point of terraform-provider-spacelift: Gantry's provider under Spacelift's source
// address (registry.terraform.io/spacelift-io/spacelift), see provider.ts.
import { serve } from "@gantry/tfplugin";
import { spaceliftProvider } from "./provider.js";

serve(spaceliftProvider);
