import type { Body, Module, Rule, Term } from "../ast/types.js";
import { RegoError } from "../errors.js";
import type { RegoErrorDetail } from "../errors.js";
import { parseModule, parseQuery } from "../parser/module-parser.js";
import { builtins, OPTIONAL_BUILTINS } from "../builtins/index.js";
import { RefResolver } from "./resolve-refs.js";
import { buildRuleTree, ruleNodePath, ruleSuffix } from "./rule-tree.js";
import type { RuleNode } from "./rule-tree.js";
import { processBody, processHeadTerm } from "./scopes.js";
import { forEachTerm } from "./walk-terms.js";
import type { ScopeContext } from "./scopes.js";
import { bodyVars, termVars } from "./safety.js";

/** Calls the evaluator implements itself rather than the builtin registry. */
const SPECIAL_CALLS = new Set(["internal.member_2", "internal.member_3", "walk", "print"]);
const SPECIAL_ARITY: Readonly<Record<string, number>> = { "internal.member_2": 2, "internal.member_3": 3, walk: 1 };
import { checkRecursion } from "./recursion.js";
import { checkModule } from "./v1-checks.js";
import { TypeChecker } from "./type-check.js";
import { rewriteV0LocalDocuments } from "./v0-locals.js";

/** A module's source as given to the compiler. */
export interface ModuleSource {
  file: string;
  source: string;
  /** Rego version of this module; defaults to 1. */
  regoVersion?: 0 | 1;
}

/** The output of compilation: the rule tree the evaluator walks. */
export interface CompiledPolicy {
  modules: Module[];
  root: RuleNode;
  arityOf(op: string): number | undefined;
}

/** Optional language extensions of one compile. */
export interface CompileExtensions {
  /** Spacelift's `sanitized()` builtin is available (PLAN policies). */
  sanitized: boolean;
}

interface CompileState {
  sources: ModuleSource[];
  extensions: CompileExtensions;
  modules: Module[];
  rules: Rule[];
  root?: RuleNode;
  errors: RegoErrorDetail[];
  arityOf(op: string): number | undefined;
}

/** A named compile stage; stages run in order and stop after the first that reports errors. */
interface Stage { name: string; run(s: CompileState): void }

const STAGES: readonly Stage[] = [
  {
    name: "parse",
    run(s) {
      for (const src of s.sources) {
        try { s.modules.push(parseModule(src.source, src.file, src.regoVersion ?? 1)); }
        catch (e) { if (e instanceof RegoError) s.errors.push(...e.errors); else throw e; }
      }
    },
  },
  { name: "check_v1_rules", run(s) { for (const m of s.modules) checkModule(m, s.errors); } },
  { name: "rewrite_v0_local_documents", run(s) { s.modules = s.modules.map(rewriteV0LocalDocuments); } },
  {
    name: "resolve_refs",
    run(s) {
      const byPackage = new Map<string, Set<string>>();
      for (const m of s.modules) {
        const key = m.package.join(".");
        const names = byPackage.get(key) ?? new Set<string>();
        for (const r of m.rules) { const h = r.path[0]; if (h && h.type === "scalar") names.add(String(h.value)); }
        byPackage.set(key, names);
      }
      s.modules = s.modules.map((m) => {
        const resolver = new RefResolver(m, byPackage.get(m.package.join("."))!);
        const mod: Module = { ...m, rules: [] };
        mod.rules = m.rules.map((r) => ({ ...resolver.resolveRule(r), module: mod }));
        for (const r of mod.rules) for (const e of r.elses) e.module = mod;
        return mod;
      });
      s.rules = s.modules.flatMap((m) => m.rules);
    },
  },
  {
    name: "build_rule_tree",
    run(s) {
      s.root = buildRuleTree(s.rules, s.modules.map((m) => m.package));
      for (const n of s.root.ruleNodes()) checkNodeKinds(n, s.errors);
    },
  },
  {
    name: "check_undefined_functions",
    run(s) {
      const check = (t: Term): void => {
        if (t.type !== "call" || SPECIAL_CALLS.has(t.op)) return;
        const unknownBuiltin = !builtins.has(t.op) || (OPTIONAL_BUILTINS.has(t.op) && !s.extensions[t.op as keyof CompileExtensions]);
        if (t.op.startsWith("data.") ? s.arityOf(t.op) === undefined && !s.root!.find(t.op.split(".").slice(1)) : unknownBuiltin) {
          s.errors.push({ code: "rego_type_error", message: `undefined function ${t.op}`, location: t.loc });
        }
      };
      const visit = (r: Rule): void => {
        r.body.forEach((e) => forEachTerm(e, check));
        for (const t of [r.value, r.key, ...(r.args ?? []), ...r.path]) if (t) forEachTerm(t, check);
        r.elses.forEach(visit);
      };
      s.rules.forEach(visit);
    },
  },
  {
    name: "check_safety_and_reorder",
    run(s) {
      const ctx: ScopeContext = { arityOf: (op) => s.arityOf(op), errors: s.errors };
      const fix = (r: Rule): void => {
        const bound = new Set<string>();
        for (const a of r.args ?? []) for (const v of termVars(a)) bound.add(v);
        const needed: Term[] = [r.value, ...ruleSuffix(r)];
        if (r.key) needed.push(r.key);
        r.body = processBody(r.body, bound, new Set(), needed, ctx);
        const after = new Set([...bound, ...bodyVars(r.body, ctx.arityOf)]);
        r.value = processHeadTerm(r.value, after, ctx);
        if (r.key) r.key = processHeadTerm(r.key, after, ctx);
        r.elses.forEach(fix);
      };
      s.rules.forEach(fix);
    },
  },
  { name: "check_recursion", run(s) { checkRecursion(s.root!, s.errors); } },
  { name: "check_types", run(s) { new TypeChecker(s.root!, s.errors).checkAll(); } },
];

function checkNodeKinds(n: RuleNode, errors: RegoErrorDetail[]): void {
  const kinds = new Set(n.rules.map((r) => (r.kind === "complete" && ruleSuffix(r).length > 0 ? "object" : r.kind)));
  if (kinds.size > 1) {
    const r = n.rules[0]!;
    errors.push({ code: "rego_type_error", message: `conflicting rules ${n.path.join(".")} found`, location: r.loc });
  }
  const arities = new Set(n.rules.filter((r) => r.kind === "function").map((r) => r.args!.length));
  if (arities.size > 1) {
    errors.push({ code: "rego_type_error", message: `conflicting rules ${n.path.join(".")} found`, location: n.rules[0]!.loc });
  }
}

/** Makes the arity lookup: user functions from the tree, then the builtin registry. */
function arityLookup(s: CompileState): (op: string) => number | undefined {
  const memo = new Map<string, number | undefined>();
  return (op) => {
    if (memo.has(op)) return memo.get(op);
    let n: number | undefined = SPECIAL_ARITY[op];
    if (op.startsWith("data.") && s.root) {
      const node = s.root.find(op.split(".").slice(1));
      const fn = node?.rules.find((r) => r.kind === "function") ?? node?.defaultRule;
      n = fn?.args?.length;
    } else n ??= builtins.get(op)?.arity;
    memo.set(op, n);
    return n;
  };
}

/**
 * Compiles modules through the named stages: parse, v1 checks, ref resolution, rule tree,
 * safety (with reordering), recursion. Throws a RegoError listing every problem of the first
 * failing stage.
 */
export function compileModules(sources: ModuleSource[], extensions: CompileExtensions = { sanitized: false }): CompiledPolicy {
  const s: CompileState = { sources, extensions, modules: [], rules: [], errors: [], arityOf: () => undefined };
  s.arityOf = arityLookup(s);
  for (const stage of STAGES) {
    stage.run(s);
    if (s.errors.length > 0) throw new RegoError(s.errors.slice(0, 10));
  }
  return { modules: s.modules, root: s.root!, arityOf: s.arityOf };
}

/** Compiles a query against a compiled policy: safety ordering with no package context. */
export function compileQuery(policy: CompiledPolicy, query: string | Body, file = "query"): Body {
  const body = typeof query === "string" ? parseQuery(query, file) : query;
  const errors: RegoErrorDetail[] = [];
  const ordered = processBody(body, new Set(), new Set(), [], { arityOf: policy.arityOf, errors });
  if (errors.length === 0) new TypeChecker(policy.root, errors).checkQuery(ordered);
  if (errors.length > 0) throw new RegoError(errors);
  return ordered;
}

export { ruleNodePath };
