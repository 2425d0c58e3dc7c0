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
  /** The constant it must equal, or ANY: it must only be defined (a naked ref, `input.x = y`). */
  readonly value: Value | typeof ANY;
}

/** OPA's `__any__` index value: the path must be defined, whatever its value. */
export const ANY = Symbol("any");

const conditionsOf = new WeakMap<Rule, readonly IndexCondition[]>();

/**
 * A rule's index conditions. As OPA indexes (`refindices.Update`): `a = b`, `a := b` (a `=`
 * after OPA's compiler) and `a == b`, not negated, without `with`, one side `input` with a
 * ground path of constants (or a bare function argument), the other a scalar (string, number,
 * boolean, null) or a var (then any defined value); a naked `input` ref (defined); a function
 * head's scalar arguments. A rule calling `print` is not indexed (OPA's `skipIndexing`).
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
  if (!bindsInput(rule.body) && !rule.body.some(callsPrint)) {
    for (const e of rule.body) {
      if (e.kind === "term" && !e.negated && e.withs.length === 0 && e.term.type === "ref") {
        const path = inputPath(e.term);
        if (path) out.push({ root: { kind: "input", path }, value: ANY });
        continue;
      }
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
  if (e.kind === "unify") return [e.left, e.right];
  if (e.kind !== "term") return undefined;
  const t = e.term;
  return t.type === "call" && t.op === "equal" && t.args.length === 2 ? [t.args[0]!, t.args[1]!] : undefined;
}

function condition(ref: Term, other: Term, args: readonly Term[]): IndexCondition | undefined {
  const value = other.type === "scalar" ? other.value : other.type === "var" ? ANY : undefined;
  if (value === undefined) return undefined;
  if (ref.type === "var") {
    const position = args.findIndex((a) => a.type === "var" && a.name === ref.name);
    return position >= 0 ? { root: { kind: "arg", position }, value } : undefined;
  }
  const path = inputPath(ref);
  return path ? { root: { kind: "input", path }, value } : undefined;
}

/** The path of a ground `input` ref with constant string or number segments. */
function inputPath(ref: Term): Value[] | undefined {
  if (ref.type !== "ref" || ref.head.type !== "var" || ref.head.name !== "input") return undefined;
  const path: Value[] = [];
  for (const seg of ref.path) {
    const v = constValue(seg);
    if (typeof v !== "string" && !(v instanceof RNumber)) return undefined;
    path.push(v);
  }
  return path;
}

function callsPrint(e: Expr): boolean {
  return e.kind === "term" && e.term.type === "call" && e.term.op === "print";
}

function bindsInput(body: Body): boolean {
  return body.some((e) => e.kind === "unify" && e.left.type === "var" && e.left.name === "input");
}

/**
 * The rules OPA's index would return for a lookup: a rule counts when it, or a rule of its
 * `else` chain (OPA indexes each), has every condition hold for the current input (`input`) or
 * call arguments (`args`). A condition on an undefined path fails, as OPA's trie follows only
 * its `undefined` branch then.
 */
export function matchedRules(rules: readonly Rule[], input: Value | undefined, args: readonly Value[] | undefined): Rule[] {
  const holds = (c: IndexCondition): boolean => {
    let v: Value | undefined;
    if (c.root.kind === "arg") v = args?.[c.root.position];
    else {
      v = input;
      for (const k of c.root.path) v = v === undefined ? undefined : lookup(v, k);
    }
    return v !== undefined && (c.value === ANY || equals(v, c.value));
  };
  return rules.filter((r) => [r, ...r.elses].some((x) => indexConditions(x).every(holds)));
}
