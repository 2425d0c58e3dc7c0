/** Entry point of the `terraform-provider-aws` simulator binary (bundled by scripts/build.mjs). */
import { serve } from "@gantry/tfplugin";
import { readSimEnvironment } from "./environment.js";
import { createAwsSimulator } from "./provider.js";

serve(createAwsSimulator(readSimEnvironment()));
