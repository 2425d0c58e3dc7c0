import { createHash } from "node:crypto";
import { compile, formatTrace, fromJS, toJS, type PreparedQuery, type Value } from "@gantry/rego";
import type { PolicyEngine, PolicyModule } from "./index.js";

/** Builtins a platform policy must not call: they reach out of the process. */
const disabledBuiltins = ["http.send", "net.lookup_ip_addr", "opa.runtime"];

/** Compiled queries kept, least recently used first out. */
const MAX_PREPARED = 500;

/**
 * The policy engine backed by Gantry's own Rego engine (`@gantry/rego`). Compiling is the
 * expensive part, so a prepared query is kept per (modules, query) content: a policy is compiled
 * again only when its body changes. An input object is converted to the engine's values once,
 * however many policies read it (the run engine passes one input to every policy of a type), so
 * work the engine shares between queries over one input is shared between those policies too.
 */
export function regoEngine(): PolicyEngine {
  const prepared = new Map<string, PreparedQuery>();
  const inputs = new WeakMap<object, Value>();

  const preparedFor = (modules: PolicyModule[], query: string, sanitized: boolean): PreparedQuery => {
    const key = createHash("sha256").update(JSON.stringify([modules, query, sanitized])).digest("hex");
    let q = prepared.get(key);
    if (q) prepared.delete(key);
    else {
      const policy = compile({
        modules: modules.map((m) => ({ file: m.file, source: m.body, regoVersion: m.regoVersion === "V0" ? 0 : 1 })),
        disabledBuiltins,
        maxTimeMs: 2_000,
        sanitized,
      });
      q = policy.prepare(query);
    }
    prepared.set(key, q);
    if (prepared.size > MAX_PREPARED) prepared.delete(prepared.keys().next().value!);
    return q;
  };

  const valueOf = (input: unknown): unknown => {
    if (input === null || typeof input !== "object") return input;
    let v = inputs.get(input);
    if (!v) inputs.set(input, (v = fromJS(input)));
    return v;
  };

  return {
    async evaluate(modules, query, input, options = {}) {
      const { sanitize } = options;
      const results = preparedFor(modules, query, sanitize !== undefined).eval({ input: valueOf(input), ...(sanitize ? { sanitize } : {}) });
      const value = results[0]?.expressions[0]?.value;
      return value === undefined ? undefined : toJS(value as never);
    },
    async explain(modules, query, input, mode, options = {}) {
      const { sanitize } = options;
      const { trace } = preparedFor(modules, query, sanitize !== undefined).explain({ input: valueOf(input), ...(sanitize ? { sanitize } : {}) });
      return formatTrace(trace, mode);
    },
  };
}
