import { attr } from "@gantry/tfplugin";
import { policy as gantryPolicy } from "../gantry/resources/policy.js";
import { alias } from "./alias.js";

const engines: Record<string, "V0" | "V1"> = { REGO_V0: "V0", REGO_V1: "V1" };

/**
 * `spacelift_policy`: Gantry's policy with Spacelift's `engine_type` (REGO_V0 | REGO_V1) for
 * Gantry's `rego_version`. Without it nothing is sent, so the server decides the version from
 * the body, as Spacelift's does; the state then holds what the server chose.
 */
export const spaceliftPolicy = alias(gantryPolicy, {
  omit: ["rego_version"],
  fields: {
    engine_type: attr.string({
      optional: true, computed: true, useStateForUnknown: true, description: "REGO_V0 or REGO_V1; unset: decided by the server from the body",
      validate: (v) => (v in engines ? undefined : `must be REGO_V0 or REGO_V1, not ${JSON.stringify(v)}`),
    }),
  },
  toGantry: (v) => ({ ...v, rego_version: typeof v.engine_type === "string" ? engines[v.engine_type] : undefined }),
  fromGantry: ({ rego_version, ...rest }) => ({ ...rest, ...(typeof rego_version === "string" ? { engine_type: `REGO_${rego_version}` } : {}) }),
});
