import { RArray, RObject } from "../value/index.js";
import type { KeyCache, Value } from "../value/index.js";
import type { Expr } from "../ast/types.js";
import { lookup } from "./collections.js";

/**
 * A loop test `x.a.b == "c"` (either operand order, not negated): the member's value at a
 * constant path of string keys compared with a constant string.
 */
export interface KeyTest {
  /** The path's keys. */
  readonly path: readonly string[];
  /** The path as one string: several loop sites testing the same path share its partition. */
  readonly id: string;
  /** The constant the value at the path must equal. */
  readonly value: string;
}

/** The key test `e` is, or undefined. */
export function keyTest(e: Expr, name: string): KeyTest | undefined {
  if (e.kind !== "term" || e.negated || e.withs.length > 0) return undefined;
  const t = e.term;
  if (t.type !== "call" || t.op !== "equal" || t.args.length !== 2) return undefined;
  const [a, b] = t.args as [typeof t.args[0], typeof t.args[0]];
  const [ref, c] = a.type === "ref" ? [a, b] : [b, a];
  if (ref.type !== "ref" || c.type !== "scalar" || typeof c.value !== "string") return undefined;
  if (ref.head.type !== "var" || ref.head.name !== name || ref.path.length === 0) return undefined;
  const path: string[] = [];
  for (const s of ref.path) {
    if (s.type !== "scalar" || typeof s.value !== "string") return undefined;
    path.push(s.value);
  }
  return { path, id: JSON.stringify(path), value: c.value };
}

/** Positions (iteration order) of a collection's members by their string value at one path. */
export type Partition = ReadonlyMap<string, readonly number[]>;

/** Per collection object, per path id. Collection values are never modified. */
const partitions = new WeakMap<object, Map<string, Partition>>();

/**
 * The partition of `coll`'s members (`memberAt(0..n-1)`, iteration order) by their value at
 * `test.path`, built in one pass the first time any loop site asks for that path, then shared by
 * every site testing it (the plan policies' `rc.type == "..."`, one pass per plan instead of
 * one per policy). Members whose value there is absent or not a string are in no group: a
 * string constant cannot equal them.
 */
export function partitionOf(coll: object, test: KeyTest, caches: KeyCache[], n: number, memberAt: (i: number) => Value): Partition {
  let byPath = partitions.get(coll);
  if (!byPath) { byPath = new Map(); partitions.set(coll, byPath); }
  let part = byPath.get(test.id);
  if (part) return part;
  const groups = new Map<string, number[]>();
  const path = test.path;
  // An array's members in place (no call per member): the usual `some rc in resource_changes`.
  const items = coll instanceof RArray ? coll.items : undefined;
  for (let i = 0; i < n; i++) {
    let v: Value | undefined = items ? items[i] : memberAt(i);
    for (let s = 0; s < path.length && v !== undefined; s++) {
      v = v instanceof RObject ? v.getCached(path[s]!, caches[s]!) : lookup(v, path[s]!);
    }
    if (typeof v !== "string") continue;
    const g = groups.get(v);
    if (g) g.push(i);
    else groups.set(v, [i]);
  }
  part = groups;
  byPath.set(test.id, part);
  return part;
}
