import type { Body, Module, Rule, Term } from "../ast/types.js";
import { builtins } from "../builtins/index.js";
import { compileModules } from "../compiler/compiler.js";
import type { ModuleSource } from "../compiler/compiler.js";
import { forEachTerm } from "../compiler/walk-terms.js";
import { RegoError, formatLocation } from "../errors.js";
import type { RegoErrorDetail } from "../errors.js";
import { parseModule } from "../parser/module-parser.js";
import { refPath } from "../parser/module-parser.js";

/** Options of `gantry policy check`, as `opa check` has them. */
export interface CheckOptions {
  /** OPA's strict mode: unused imports and assignments, deprecated builtins, input/data shadowing. */
  strict?: boolean;
  /** Provide Spacelift's `sanitized()` (PLAN policies). */
  sanitized?: boolean;
}

function ruleTerms(r: Rule, f: (t: Term) => void): void {
  for (const e of r.body) forEachTerm(e, f);
  for (const t of [r.value, r.key, ...(r.args ?? []), ...r.path]) if (t) forEachTerm(t, f);
  r.elses.forEach((e) => ruleTerms(e, f));
}

function unusedImports(m: Module, errors: RegoErrorDetail[]): void {
  const used = new Set<string>();
  for (const r of m.rules) ruleTerms(r, (t) => {
    if (t.type === "var") used.add(t.name);
    if (t.type === "call") used.add(t.op.split(".")[0]!);
  });
  for (const imp of m.imports) {
    const path = refPath(imp.path);
    if (!path || path[0] === "future" || path[0] === "rego") continue;
    const name = imp.alias ?? path[path.length - 1]!;
    if (!used.has(name)) errors.push({ code: "rego_compile_error", message: `import ${path.join(".")}${imp.alias ? ` as ${imp.alias}` : ""} unused`, location: imp.loc });
  }
}

function declaredBy(body: Body, out: Map<string, Term>): void {
  const pattern = (t: Term): void => {
    if (t.type === "var") { if (!t.name.startsWith("$") && t.name !== "_") out.set(t.name, t); }
    else if (t.type === "array") t.items.forEach(pattern);
    else if (t.type === "object") t.entries.forEach(([, v]) => pattern(v));
  };
  for (const e of body) {
    if (e.kind === "unify" && e.op === ":=") pattern(e.left);
    if (e.kind === "every") declaredBy(e.body, out);
  }
}

function strictRule(r: Rule, m: Module, errors: RegoErrorDetail[]): void {
  const declared = new Map<string, Term>();
  declaredBy(r.body, declared);
  const uses = new Map<string, number>();
  ruleTerms({ ...r, elses: [] }, (t) => {
    if (t.type === "var") uses.set(t.name, (uses.get(t.name) ?? 0) + 1);
    if (t.type === "call" && builtins.get(t.op)?.deprecated) {
      errors.push({ code: "rego_type_error", message: `deprecated built-in function calls in expression: ${t.op}`, location: t.loc });
    }
  });
  for (const [name, at] of declared) {
    if ((name === "input" || name === "data") && m.regoVersion === 0) {
      errors.push({ code: "rego_compile_error", message: `variables must not shadow ${name} (use a different variable name)`, location: at.loc });
    } else if ((uses.get(name) ?? 0) <= 1) {
      errors.push({ code: "rego_compile_error", message: `assigned var ${name} unused`, location: at.loc });
    }
  }
  r.elses.forEach((e) => strictRule(e, m, errors));
}

/**
 * Parses and compiles modules (type checker included) as `opa check` does, returning every error
 * found; with `strict`, OPA's strict-mode checks as well. An empty list means the modules are fine.
 */
export function checkPolicies(modules: ModuleSource[], opts: CheckOptions = {}): RegoErrorDetail[] {
  try {
    compileModules(modules, { sanitized: opts.sanitized ?? false });
  } catch (e) {
    if (e instanceof RegoError) return [...e.errors];
    throw e;
  }
  if (!opts.strict) return [];
  const errors: RegoErrorDetail[] = [];
  for (const src of modules) {
    const m = parseModule(src.source, src.file, src.regoVersion ?? 1);
    unusedImports(m, errors);
    for (const r of m.rules) strictRule(r, m, errors);
  }
  return errors;
}

/** `opa check`'s text: `N errors occurred:` then one `file:row:col: code: message` per error. */
export function formatCheckErrors(errors: readonly RegoErrorDetail[]): string {
  const n = errors.length;
  const lines = errors.map((d) => `${d.location ? formatLocation(d.location) + ": " : ""}${d.code}: ${d.message}`);
  return `${n} error${n === 1 ? "" : "s"} occurred:${n === 1 ? " " : "\n"}${lines.join("\n")}\n`;
}
