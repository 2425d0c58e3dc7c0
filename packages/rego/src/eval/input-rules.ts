import type { Value } from "../value/index.js";
import type { Expr, Rule, Term } from "../ast/types.js";
import type { RuleNode } from "../compiler/rule-tree.js";
import { COMPARISONS } from "./call-sites.js";

/** What a shared rule value records for an input: the value, or that the rule is undefined. */
export type SharedValue = Value | typeof NO_VALUE;
export const NO_VALUE = Symbol("undefined rule");

const inputOnly = new WeakMap<RuleNode, boolean>();
const shared = new WeakMap<RuleNode, WeakMap<object, SharedValue>>();

/**
 * Whether a rule node's value is a function of `input` alone: plain rules (no functions,
 * `else`, `with`, defaults or sub-packages) whose heads and bodies only walk `input` and their
 * own vars, compare them with constants and iterate them; no builtin, no other rule, no `data`.
 * Such a value is the same in every query over the same input object, so queries share it
 * (`blocks[...] := b if { some b in input.plan...; b.type == "..." }`, run once per plan
 * rather than once per query that uses it).
 */
export function isInputOnly(node: RuleNode): boolean {
  let v = inputOnly.get(node);
  if (v === undefined) {
    v = node.rules.length > 0 && !node.defaultRule && node.children.size === 0 && node.rules.every(pureRule);
    inputOnly.set(node, v);
  }
  return v;
}

/** The value queries over `input` already computed for the node, if any. */
export function sharedValue(node: RuleNode, input: object): SharedValue | undefined {
  return shared.get(node)?.get(input);
}

/** Records the node's value for `input` (kept only as long as the input object lives). */
export function shareValue(node: RuleNode, input: object, v: SharedValue): void {
  let m = shared.get(node);
  if (!m) { m = new WeakMap(); shared.set(node, m); }
  m.set(input, v);
}

function pureRule(r: Rule): boolean {
  if (r.kind === "function" || r.args || r.elses.length > 0 || r.isDefault) return false;
  if (r.key && !pureTerm(r.key)) return false;
  return pureTerm(r.value) && r.path.every(pureTerm) && r.body.every(pureExpr);
}

function pureExpr(e: Expr): boolean {
  if (e.withs.length > 0) return false;
  switch (e.kind) {
    case "term": return pureTerm(e.term);
    case "unify": return pureTerm(e.left) && pureTerm(e.right);
    case "some": return true;
    case "somein": return (!e.key || pureTerm(e.key)) && pureTerm(e.value) && pureTerm(e.domain);
    default: return false;
  }
}

function pureTerm(t: Term): boolean {
  switch (t.type) {
    case "scalar": return true;
    case "var": return t.name !== "data";
    case "ref": return pureTerm(t.head) && t.path.every(pureTerm);
    case "array":
    case "set": return t.items.every(pureTerm);
    case "object": return t.entries.every(([k, v]) => pureTerm(k) && pureTerm(v));
    case "call": return (COMPARISONS[t.op] !== undefined || t.op === "internal.member_2") && t.args.length === 2 && t.args.every(pureTerm);
    default: return false;
  }
}
