import { compare, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Term } from "../ast/types.js";
import type { CompiledPolicy } from "../compiler/compiler.js";
import type { RuleNode } from "../compiler/rule-tree.js";

export interface CallSite { inputs: readonly Term[]; out: Term | undefined }
export const callSites = new WeakMap<Term, CallSite>();

const argOrders = new WeakMap<readonly Term[], number[] | null>();

/** Operand evaluation order: refs first when a var operand may be bound by a ref generator. */
export function argOrder(args: readonly Term[]): number[] | null {
  let o = argOrders.get(args);
  if (o === undefined) {
    let refs = false;
    let vars = false;
    for (const a of args) { if (a.type === "ref") refs = true; else if (a.type === "var") vars = true; }
    o = refs && vars ? args.map((_, i) => i).sort((a, b) => Number(args[b]!.type === "ref") - Number(args[a]!.type === "ref")) : null;
    argOrders.set(args, o);
  }
  return o;
}

export const COMPARISONS: Readonly<Record<string, (a: Value, b: Value) => boolean>> = {
  equal: (a, b) => equals(a, b),
  neq: (a, b) => !equals(a, b),
  lt: (a, b) => compare(a, b) < 0,
  lte: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  gte: (a, b) => compare(a, b) >= 0,
};

const fnNodes = new WeakMap<CompiledPolicy, Map<string, RuleNode | undefined>>();

/** The rule node of a user function by its dotted name, cached per compiled policy. */
export function functionNode(policy: CompiledPolicy, op: string): RuleNode | undefined {
  let m = fnNodes.get(policy);
  if (!m) { m = new Map(); fnNodes.set(policy, m); }
  if (m.has(op)) return m.get(op);
  const node = policy.root.find(op.split(".").slice(1));
  m.set(op, node);
  return node;
}
