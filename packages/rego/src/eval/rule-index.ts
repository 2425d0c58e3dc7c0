import type { Body, Expr, Rule, Term } from "../ast/types.js";
import { RNumber, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import { constValue } from "./constants.js";
import { lookup } from "./collections.js";

/**
 * What OPA's rule index can see of one rule (its `ast/index.go`): the expressions that pin an
 * input document path, or a function argument, to a scalar constant. Only `explain` uses it,
 * for the count in `Index ... (matched N rules)`: Gantry evaluates every rule, and a rule whose
 * condition fails fails on its own; what the count must reproduce is which rules OPA's trie
 * would hand to the evaluator.
 */
export interface IndexCondition {
  /** `input` and the constant path below it, or a function argument (position). */
  readonly root: { kind: "input"; path: readonly Value[] } | { kind: "arg"; position: number };
  readonly value: Value;
}

const conditionsOf = new WeakMap<Rule, readonly IndexCondition[]>();

/**
 * A rule's index conditions. As OPA indexes: `a = b` and `a == b`, not negated, without
 * `with`, one side `input` with a ground path of constants (or a bare function argument), the
 * other a scalar (string, number, boolean, null); a function head's scalar arguments too.
 * Not indexed here though OPA does: refs to base documents under `data`, array patterns and
 * `glob.match` (a rule with those counts as matching; OPA's count can then be lower).
 */
export function indexConditions(rule: Rule): readonly IndexCondition[] {
  let known = conditionsOf.get(rule);
  if (known) return known;
  const out: IndexCondition[] = [];
  const args = rule.args ?? [];
  args.forEach((a, position) => {
    if (a.type === "scalar") out.push({ root: { kind: "arg", position }, value: a.value });
  });
  // A v0 body may bind a local named `input`; its refs are then not the input document.
  if (!bindsInput(rule.body)) {
    for (const e of rule.body) {
      const sides = equalitySides(e);
      if (!sides) continue;
      const c = condition(sides[0], sides[1], args) ?? condition(sides[1], sides[0], args);
      if (c) out.push(c);
    }
  }
  known = out;
  conditionsOf.set(rule, known);
  return known;
}

function equalitySides(e: Expr): [Term, Term] | undefined {
  if (e.negated || e.withs.length > 0) return undefined;
  if (e.kind === "unify") return e.op === "=" ? [e.left, e.right] : undefined;
  if (e.kind !== "term") return undefined;
  const t = e.term;
  return t.type === "call" && t.op === "equal" && t.args.length === 2 ? [t.args[0]!, t.args[1]!] : undefined;
}

function condition(ref: Term, other: Term, args: readonly Term[]): IndexCondition | undefined {
  if (other.type !== "scalar") return undefined;
  const value = other.value;
  if (ref.type === "var") {
    const position = args.findIndex((a) => a.type === "var" && a.name === ref.name);
    return position >= 0 ? { root: { kind: "arg", position }, value } : undefined;
  }
  if (ref.type !== "ref" || ref.head.type !== "var" || ref.head.name !== "input") return undefined;
  const path: Value[] = [];
  for (const seg of ref.path) {
    const v = constValue(seg);
    if (typeof v !== "string" && !(v instanceof RNumber)) return undefined;
    path.push(v);
  }
  return { root: { kind: "input", path }, value };
}

function bindsInput(body: Body): boolean {
  return body.some((e) => e.kind === "unify" && e.left.type === "var" && e.left.name === "input");
}

/**
 * The rules OPA's index would return for a lookup: those whose every condition holds for the
 * current input (`input`) or call arguments (`args`). A condition on an undefined path fails,
 * as OPA's trie has no branch for it.
 */
export function matchedRules(rules: readonly Rule[], input: Value | undefined, args: readonly Value[] | undefined): Rule[] {
  return rules.filter((r) => indexConditions(r).every((c) => {
    let v: Value | undefined;
    if (c.root.kind === "arg") v = args?.[c.root.position];
    else {
      v = input;
      for (const k of c.root.path) v = v === undefined ? undefined : lookup(v, k);
    }
    return v !== undefined && equals(v, c.value);
  }));
}
