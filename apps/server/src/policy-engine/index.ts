/**
 * The seam between the run engine and a Rego evaluator. The run engine finds the policies that
 * apply, builds Spacelift's input documents and reads the rules it cares about; an engine only
 * compiles modules and evaluates a query. Gantry's own engine (`@gantry/rego`) plugs in here once
 * it exposes a compile/evaluate facade; until then a server has no engine, and a run to which a
 * policy applies fails with a reason rather than pretending the policy passed.
 */
export interface PolicyModule {
  /** A file name for messages, e.g. `no-deletes.rego`. */
  file: string;
  body: string;
  regoVersion: "V0" | "V1";
}

/** Per-evaluation options of an engine. */
export interface EvaluateOptions {
  /** PLAN policies: Spacelift's `sanitized()` is available and hashes with this function. */
  sanitize?: (s: string) => string;
}

export interface PolicyEngine {
  /**
   * Evaluates `query` (e.g. `data.spacelift`) over the modules with `input`, returning the value
   * as JSON (undefined when the query has no result). Rejects with the engine's own error on
   * compile or evaluation errors.
   */
  evaluate(modules: PolicyModule[], query: string, input: unknown, options?: EvaluateOptions): Promise<unknown>;
  /**
   * Evaluates like `evaluate` while tracing, and returns OPA's `--explain <mode>` text trace.
   * Optional: an engine without it makes `explain-policy` answer `not_supported`.
   */
  explain?(modules: PolicyModule[], query: string, input: unknown, mode: "full" | "debug" | "notes" | "fails", options?: EvaluateOptions): Promise<string>;
}

/** Spacelift's rule sets: which collections of messages a policy type produces. */
export const ruleSets = {
  PLAN: ["deny", "warn"],
  APPROVAL: ["approve", "reject"],
  INITIALIZATION: ["deny"],
  TASK: ["deny"],
} as const;

/** Reads a set-of-strings rule (`deny[msg]`, `warn contains msg`) from the package's value. */
export function messages(pkg: unknown, rule: string): string[] {
  const v = (pkg as Record<string, unknown> | undefined)?.[rule];
  if (Array.isArray(v)) return v.map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
  if (v === true) return [rule];
  return [];
}
