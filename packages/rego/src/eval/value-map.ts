import { equals, hashValue } from "../value/index.js";
import type { Value } from "../value/index.js";

/**
 * A small hash map keyed by Rego values (equality as Rego defines it: 1 == 1.0). String keys,
 * the common case, go through a native Map; other keys are bucketed by `hashValue`.
 */
export class ValueMap<T> {
  private strings = new Map<string, [Value, T]>();
  private buckets = new Map<number, [Value, T][]>();
  private order: [Value, T][] = [];

  get(k: Value): T | undefined {
    if (typeof k === "string") return this.strings.get(k)?.[1];
    const b = this.buckets.get(hashValue(k));
    if (!b) return undefined;
    for (const [bk, v] of b) if (equals(bk, k)) return v;
    return undefined;
  }

  set(k: Value, v: T): void {
    if (typeof k === "string") {
      const e = this.strings.get(k);
      if (e) { e[1] = v; return; }
      const n: [Value, T] = [k, v];
      this.strings.set(k, n);
      this.order.push(n);
      return;
    }
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
