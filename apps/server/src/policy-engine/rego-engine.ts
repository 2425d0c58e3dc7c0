import { compile, toJS } from "@gantry/rego";
import type { PolicyEngine } from "./index.js";

/** Builtins a platform policy must not call: they reach out of the process. */
const disabledBuiltins = ["http.send", "net.lookup_ip_addr", "opa.runtime"];

/** The policy engine backed by Gantry's own Rego engine (`@gantry/rego`). */
export const regoEngine: PolicyEngine = {
  async evaluate(modules, query, input) {
    const policy = compile({
      modules: modules.map((m) => ({ file: m.file, source: m.body, regoVersion: m.regoVersion === "V0" ? 0 : 1 })),
      disabledBuiltins,
      maxTimeMs: 2_000,
    });
    const results = policy.eval(query, { input });
    const value = results[0]?.expressions[0]?.value;
    return value === undefined ? undefined : toJS(value as never);
  },
};
