import { attr, type DataSource } from "@gantry/tfplugin";
import type { GantryProviderClient } from "../gantry/api.js";
import { dataSources as gantry } from "../gantry/data-sources.js";
import { kit } from "../gantry/kit.js";
import { awsIntegrationLookup, contextLookup, currentSpace, policyLookup, workerPoolLookup } from "./lookups.js";

/**
 * The stack whose run executes this configuration. Spacelift's data source reads it from the
 * run's token; in Gantry every run has it in the environment (`SPACELIFT_STACK_ID` or
 * `TF_VAR_spacelift_stack_id` where the run provides Spacelift's variables, else `GANTRY_STACK_ID`).
 */
const currentStack = kit.dataSource({
  description: "The stack whose run is executing this configuration.",
  schema: { id: attr.string({ computed: true }) },
  read() {
    const id = process.env.SPACELIFT_STACK_ID ?? process.env.TF_VAR_spacelift_stack_id ?? process.env.GANTRY_STACK_ID;
    if (!id) throw new Error("spacelift_current_stack only works inside a Gantry run (neither SPACELIFT_STACK_ID nor GANTRY_STACK_ID is set)");
    return { id };
  },
});

/** Spacelift's data sources: Gantry's own under Spacelift's names, and Spacelift's look-ups (lookups.ts). */
export const spaceliftDataSources: Record<string, DataSource<GantryProviderClient>> = {
  spacelift_current_stack: currentStack,
  spacelift_stack: gantry.gantry_stack!,
  spacelift_space: gantry.gantry_space!,
  spacelift_spaces: gantry.gantry_spaces!,
  spacelift_module: gantry.gantry_module!,
  spacelift_current_space: currentSpace,
  spacelift_context: contextLookup,
  spacelift_policy: policyLookup,
  spacelift_aws_integration: awsIntegrationLookup,
  spacelift_worker_pool: workerPoolLookup,
};
