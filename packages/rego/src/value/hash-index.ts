import { equals, hashValue } from "./order.js";
import type { Value } from "./types.js";

/** Up to this many members a linear scan beats hashing, and saves two Maps per small object. */
const LINEAR_MAX = 8;

/**
 * An insertion-ordered index of distinct values, used by objects (keys) and sets. Small indexes
 * are scanned linearly; larger ones keep string members in a native Map and bucket the others
 * by {@link hashValue}, comparing with {@link equals} (so 1 and 1.0 are one member).
 */
export class HashIndex {
  readonly items: Value[] = [];
  private strings: Map<string, number> | undefined;
  private others: Map<number, number[]> | undefined;

  /** A copy that can be extended without changing this one. */
  clone(): HashIndex {
    const c = new HashIndex();
    c.items.push(...this.items);
    if (this.strings) c.buildMaps();
    return c;
  }

  private buildMaps(): void {
    this.strings = new Map();
    this.others = new Map();
    this.items.forEach((v, i) => this.indexAt(v, i));
  }

  private indexAt(v: Value, i: number): void {
    if (typeof v === "string") {
      this.strings!.set(v, i);
      return;
    }
    const h = hashValue(v);
    const bucket = this.others!.get(h);
    if (bucket) bucket.push(i);
    else this.others!.set(h, [i]);
  }

  /** The position of `v`, or -1. */
  find(v: Value): number {
    const items = this.items;
    if (!this.strings) {
      if (typeof v === "string") {
        for (let i = 0; i < items.length; i++) if (items[i] === v) return i;
      } else {
        for (let i = 0; i < items.length; i++) if (typeof items[i] !== "string" && equals(items[i]!, v)) return i;
      }
      return -1;
    }
    if (typeof v === "string") return this.strings.get(v) ?? -1;
    const bucket = this.others!.get(hashValue(v));
    if (!bucket) return -1;
    for (const i of bucket) if (equals(items[i]!, v)) return i;
    return -1;
  }

  /** Adds `v` unless present; returns its position and whether it was new. */
  add(v: Value): [number, boolean] {
    const r = this.insert(v);
    return r >= 0 ? [r, true] : [-r - 1, false];
  }

  /** Adds `v` unless present: its new position, or `-(position + 1)` when already there. */
  insert(v: Value): number {
    const at = this.find(v);
    if (at >= 0) return -at - 1;
    const i = this.items.length;
    this.items.push(v);
    if (this.strings) this.indexAt(v, i);
    else if (i + 1 > LINEAR_MAX) this.buildMaps();
    return i;
  }
}
