import type { Rule, Term } from "../ast/types.js";
import type { RegoErrorDetail } from "../errors.js";
import { forEachTerm } from "./walk-terms.js";
import type { RuleNode } from "./rule-tree.js";

function refPrefix(t: Term): string[] | undefined {
  if (t.type === "call") return t.op.startsWith("data.") ? t.op.split(".") : undefined;
  if (t.type !== "ref" || t.head.type !== "var" || t.head.name !== "data") return undefined;
  const out = ["data"];
  // `data[x]` may reach anything; dynamic recursion is caught while evaluating instead.
  if (t.path[0]?.type !== "scalar") return undefined;
  for (const p of t.path) {
    if (p.type === "scalar" && typeof p.value !== "string") return undefined;
    if (p.type !== "scalar" || typeof p.value !== "string") break;
    out.push(p.value);
  }
  return out;
}

function dependencies(root: RuleNode, rules: readonly Rule[]): Set<RuleNode> {
  const deps = new Set<RuleNode>();
  const visitRule = (r: Rule): void => {
    const onTerm = (t: Term): void => {
      const prefix = refPrefix(t);
      if (!prefix) return;
      let n: RuleNode | undefined = root;
      for (const p of prefix.slice(1)) {
        if (n.hasRules) break;
        const c: RuleNode | undefined = n.children.get(p);
        if (!c) { n = undefined; break; }
        n = c;
      }
      if (!n) return;
      if (n.hasRules) deps.add(n);
      else for (const x of n.ruleNodes()) deps.add(x);
    };
    r.body.forEach((e) => forEachTerm(e, onTerm));
    for (const t of [r.value, r.key, ...(r.args ?? []), ...r.path]) if (t) forEachTerm(t, onTerm);
    r.elses.forEach(visitRule);
  };
  rules.forEach(visitRule);
  return deps;
}

/** Reports rules that depend on themselves, as OPA's `rego_recursion_error`. */
export function checkRecursion(root: RuleNode, errors: RegoErrorDetail[]): void {
  const nodes = [...root.ruleNodes()];
  const graph = new Map<RuleNode, Set<RuleNode>>();
  for (const n of nodes) graph.set(n, dependencies(root, [...n.rules, ...(n.defaultRule ? [n.defaultRule] : [])]));
  const state = new Map<RuleNode, 1 | 2>();
  const stack: RuleNode[] = [];
  const reported = new Set<RuleNode>();
  const visit = (n: RuleNode): void => {
    state.set(n, 1);
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      const s = state.get(d);
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(d));
        if (!reported.has(d)) {
          reported.add(d);
          const names = [...cycle, d].map((x) => x.path.join("."));
          const rule = d.rules[0] ?? d.defaultRule;
          const msg = `rule ${d.path.join(".")} is recursive: ${names.join(" -> ")}`;
          errors.push(rule ? { code: "rego_recursion_error", message: msg, location: rule.loc } : { code: "rego_recursion_error", message: msg });
        }
      } else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of nodes) if (!state.has(n)) visit(n);
}
