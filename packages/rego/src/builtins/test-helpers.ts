import { fromJSONText, toJSONText } from "../value/index.js";
import type { Value } from "../value/index.js";
import { builtins } from "./index.js";
import type { BuiltinContext } from "./registry.js";

/** A real context for calling builtins in unit tests; `printed` collects print output. */
export function testContext(overrides: Partial<BuiltinContext> = {}): BuiltinContext & { printed: string[] } {
  const printed: string[] = [];
  return {
    strict: true,
    nowNs: 1_700_000_000_000_000_000n,
    print: (line) => printed.push(line),
    disabled: new Set(),
    cache: new Map(),
    printed,
    ...overrides,
  };
}

/** Calls builtin `name` with JSON-text arguments; returns the result as JSON text or "undefined". */
export function callJSON(name: string, ...args: string[]): string {
  return callValues(name, args.map(fromJSONText));
}

/** Calls builtin `name` with Values; returns the result as JSON text or "undefined". */
export function callValues(name: string, args: Value[], ctx: BuiltinContext = testContext()): string {
  const def = builtins.get(name);
  if (!def) throw new Error(`no builtin ${name}`);
  const out = def.fn(args, ctx);
  return out === undefined ? "undefined" : toJSONText(out);
}
