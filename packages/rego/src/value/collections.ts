import { HashIndex } from "./hash-index.js";
import { compare } from "./order.js";
import type { Value } from "./types.js";

/** @internal One lookup site's memory of where its key sits in the last key index seen. */
export interface KeyCache { index: HashIndex | undefined; pos: number }

/** An immutable Rego array. */
export class RArray {
  readonly items: readonly Value[];
  /** Cached hash (see hashValue). */
  hashCache: number | undefined;

  constructor(items: Value[]) {
    this.items = items;
  }

  /** The number of elements. */
  get length(): number {
    return this.items.length;
  }

  /** The element at `i`, or undefined. */
  get(i: number): Value | undefined {
    return this.items[i];
  }
}

/** UTF-16 units whose order differs from code point order (surrogates and what follows them). */
const HIGH_UNITS = /[\ud800-\uffff]/;

/**
 * Whether native string comparison gives OPA's order for these values: all strings, none with
 * units at or above U+D800 (below that, UTF-16 unit order is code point order).
 */
function plainStrings(items: readonly Value[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (typeof v !== "string" || HIGH_UNITS.test(v)) return false;
  }
  return true;
}

function sortedOrder(index: HashIndex): number[] {
  const items = index.items;
  if (plainStrings(items)) {
    // Native sort of the keys themselves (no comparator calls), then back to positions (the
    // index finds a string by a scan when small, through its own Map when not).
    const keys = (items as string[]).slice().sort();
    return keys.map((k) => index.find(k));
  }
  const order = items.map((_, i) => i);
  order.sort((a, b) => compare(items[a]!, items[b]!));
  return order;
}

/** An object's sorted key order, and its keys, values and entries in that order once asked for. */
interface SortCache { order: number[]; keys: Value[] | undefined; values: Value[] | undefined; entries: [Value, Value][] | undefined }

/**
 * An immutable Rego object: a hashed map from any value to any value. `keys()` and `entries()`
 * come in OPA's sorted key order; the sort is computed once, on first use.
 */
export class RObject {
  /** The empty object `{}`. */
  static readonly empty: RObject = new RObject(new HashIndex(), []);

  private readonly index: HashIndex;
  private readonly vals: Value[];
  /** Key order and what was derived from it, once sorted (one field: objects stay small). */
  private sortCache: SortCache | undefined;
  /** Cached hash (see hashValue). */
  hashCache: number | undefined;
  /**
   * @internal Set by the evaluator when the object is one rule's value as a whole (see
   * eval/documents.ts). A field rather than a WeakSet: marking the values of a partial object
   * rule over a new document cost ~0.4 µs per object as WeakSet entries.
   */
  ruleValue = false;

  private constructor(index: HashIndex, vals: Value[]) {
    this.index = index;
    this.vals = vals;
  }

  /** Builds an object; a later duplicate key replaces the earlier value. */
  static from(entries: Iterable<[Value, Value]>): RObject {
    const index = new HashIndex();
    const vals: Value[] = [];
    for (const [k, v] of entries) {
      const i = index.insert(k);
      if (i >= 0) vals.push(v);
      else vals[-i - 1] = v;
    }
    return new RObject(index, vals);
  }

  /**
   * @internal An object over a shared, never-again-modified key index (`vals` aligned with its
   * members): JSON documents give objects with the same keys one index, so a lookup site can
   * remember a key's position per index (see {@link KeyCache}).
   */
  static fromShape(index: HashIndex, vals: Value[]): RObject {
    return new RObject(index, vals);
  }

  /** Builds an object from a JS record with string keys. */
  static fromRecord(rec: Record<string, Value>): RObject {
    return RObject.from(Object.entries(rec));
  }

  /** The value at `key`, or undefined. */
  get(key: Value): Value | undefined {
    const i = this.index.find(key);
    return i < 0 ? undefined : this.vals[i];
  }

  /** Whether `key` is present. */
  has(key: Value): boolean {
    return this.index.find(key) >= 0;
  }

  /**
   * @internal `get` through a lookup site's cache: objects sharing a key index (same shape)
   * find `key` at the same position without a search.
   */
  getCached(key: Value, cache: KeyCache): Value | undefined {
    const index = this.index;
    if (index === cache.index) return this.vals[cache.pos];
    const i = index.find(key);
    if (i < 0) return undefined;
    cache.index = index;
    cache.pos = i;
    return this.vals[i];
  }

  /** The number of keys. */
  get size(): number {
    return this.vals.length;
  }

  private sorted(): SortCache {
    this.sortCache ??= { order: sortedOrder(this.index), keys: undefined, values: undefined, entries: undefined };
    return this.sortCache;
  }

  /** The keys, sorted. The array is cached and shared: do not mutate it. */
  keys(): Value[] {
    const items = this.index.items;
    const c = this.sorted();
    c.keys ??= c.order.map((i) => items[i]!);
    return c.keys;
  }

  /**
   * The values, in the sorted order of their keys (what `some v in obj` visits). The array is
   * cached and shared: do not mutate it.
   */
  values(): Value[] {
    const c = this.sorted();
    c.values ??= c.order.map((i) => this.vals[i]!);
    return c.values;
  }

  /** The entries, sorted by key. The array is cached and shared: do not mutate it. */
  entries(): [Value, Value][] {
    const items = this.index.items;
    const c = this.sorted();
    c.entries ??= c.order.map((i) => [items[i]!, this.vals[i]!]);
    return c.entries;
  }

  /** Visits entries in insertion order (cheaper than `entries()` when order does not matter). */
  forEach(fn: (key: Value, value: Value) => void): void {
    const items = this.index.items;
    for (let i = 0; i < items.length; i++) fn(items[i]!, this.vals[i]!);
  }

  /** A new object with `key` set to `value` (copies; use `RObject.from` to build many). */
  with(key: Value, value: Value): RObject {
    const index = this.index.clone();
    const vals = [...this.vals];
    const [i, isNew] = index.add(key);
    if (isNew) vals.push(value);
    else vals[i] = value;
    return new RObject(index, vals);
  }

  /** A new object without `key`. */
  without(key: Value): RObject {
    if (!this.has(key)) return this;
    const out: [Value, Value][] = [];
    this.forEach((k, v) => {
      if (compare(k, key) !== 0) out.push([k, v]);
    });
    return RObject.from(out);
  }
}

/** An immutable Rego set. `values()` comes sorted in OPA's order. */
export class RSet {
  /** The empty set `set()`. */
  static readonly empty: RSet = new RSet(new HashIndex());

  private readonly index: HashIndex;
  private order: Value[] | undefined;
  /** Cached hash (see hashValue). */
  hashCache: number | undefined;

  private constructor(index: HashIndex) {
    this.index = index;
  }

  /** Builds a set; duplicates collapse. */
  static from(items: Iterable<Value>): RSet {
    const index = new HashIndex();
    for (const v of items) index.insert(v);
    return new RSet(index);
  }

  /** Whether `v` is a member. */
  has(v: Value): boolean {
    return this.index.find(v) >= 0;
  }

  /** The number of members. */
  get size(): number {
    return this.index.items.length;
  }

  /** The members, sorted. The array is cached and shared: do not mutate it. */
  values(): Value[] {
    if (!this.order) {
      this.order = [...this.index.items];
      // The default sort compares strings by UTF-16 units without calling back into JS.
      if (plainStrings(this.order)) this.order.sort();
      else this.order.sort(compare);
    }
    return this.order;
  }

  /** Visits members in insertion order (cheaper than `values()` when order does not matter). */
  forEach(fn: (v: Value) => void): void {
    for (const v of this.index.items) fn(v);
  }

  /** A new set with `v` added. */
  with(v: Value): RSet {
    if (this.has(v)) return this;
    const index = this.index.clone();
    index.add(v);
    return new RSet(index);
  }

  /** Members of either set. */
  union(o: RSet): RSet {
    if (o.size === 0) return this;
    if (this.size === 0) return o;
    const index = this.index.clone();
    for (const v of o.index.items) index.insert(v);
    return new RSet(index);
  }

  /** Members of both sets. */
  intersect(o: RSet): RSet {
    const [small, big] = this.size <= o.size ? [this, o] : [o, this];
    return RSet.from(small.index.items.filter((v) => big.has(v)));
  }

  /** Members of this set not in `o`. */
  difference(o: RSet): RSet {
    if (o.size === 0) return this;
    return RSet.from(this.index.items.filter((v) => !o.has(v)));
  }
}
