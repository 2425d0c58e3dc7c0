import { equals, hashValue } from "../value/index.js";
import type { Value } from "../value/index.js";

/** A small hash map keyed by Rego values (equality as Rego defines it: 1 == 1.0). */
export class ValueMap<T> {
  private buckets = new Map<number, [Value, T][]>();
  private order: [Value, T][] = [];

  get(k: Value): T | undefined {
    const b = this.buckets.get(hashValue(k));
    if (!b) return undefined;
    for (const [bk, v] of b) if (equals(bk, k)) return v;
    return undefined;
  }

  set(k: Value, v: T): void {
    const h = hashValue(k);
    let b = this.buckets.get(h);
    if (!b) { b = []; this.buckets.set(h, b); }
    for (const e of b) if (equals(e[0], k)) { e[1] = v; return; }
    const e: [Value, T] = [k, v];
    b.push(e);
    this.order.push(e);
  }

  entries(): readonly [Value, T][] { return this.order; }
  get size(): number { return this.order.length; }
}
