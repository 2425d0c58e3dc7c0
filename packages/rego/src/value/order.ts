import { RArray, RObject, RSet } from "./collections.js";
import { RNumber } from "./number.js";
import type { TypeName, Value } from "./types.js";

/** The type of a value, as `type_name` names it. */
export function typeName(v: Value): TypeName {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    default:
      if (v instanceof RNumber) return "number";
      if (v instanceof RArray) return "array";
      if (v instanceof RObject) return "object";
      return "set";
  }
}

const TYPE_RANK: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 };

/** Maps a UTF-16 unit so that unit order equals code point order (as Go's byte order of UTF-8). */
function unitRank(c: number): number {
  if (c >= 0xd800 && c < 0xe000) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}

/** Compares strings by code point, as Go compares UTF-8 strings byte by byte. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitRank(x) < unitRank(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

function compareSeq(a: readonly Value[], b: readonly Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareObjects(a: RObject, b: RObject): number {
  const ae = a.entries();
  const be = b.entries();
  const n = Math.min(ae.length, be.length);
  for (let i = 0; i < n; i++) {
    const c = compare(ae[i]![0], be[i]![0]);
    if (c !== 0) return c;
    const d = compare(ae[i]![1], be[i]![1]);
    if (d !== 0) return d;
  }
  return ae.length === be.length ? 0 : ae.length < be.length ? -1 : 1;
}

/**
 * OPA's total order: null < boolean < number < string < array < object < set; false < true;
 * numbers numerically; strings by code point; arrays element-wise then by length; objects by
 * sorted keys then values; sets by sorted members.
 */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return TYPE_RANK[ta] < TYPE_RANK[tb] ? -1 : 1;
  switch (ta) {
    case "null":
      return 0;
    case "boolean":
      return a === b ? 0 : a === false ? -1 : 1;
    case "number":
      return (a as RNumber).cmp(b as RNumber);
    case "string":
      return compareStrings(a as string, b as string);
    case "array":
      return compareSeq((a as RArray).items, (b as RArray).items);
    case "object":
      return compareObjects(a as RObject, b as RObject);
    default:
      return compareSeq((a as RSet).values(), (b as RSet).values());
  }
}

/** Value equality (1 equals 1.0; sets and objects ignore order). */
export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (a instanceof RNumber) return b instanceof RNumber && a.eq(b);
  if (a instanceof RArray) {
    if (!(b instanceof RArray) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a.items[i]!, b.items[i]!)) return false;
    return true;
  }
  if (a instanceof RObject) {
    if (!(b instanceof RObject) || a.size !== b.size || hashValue(a) !== hashValue(b)) return false;
    let same = true;
    a.forEach((k, v) => {
      if (!same) return;
      const w = b.get(k);
      if (w === undefined || !equals(v, w)) same = false;
    });
    return same;
  }
  if (!(b instanceof RSet) || a.size !== b.size || hashValue(a) !== hashValue(b)) return false;
  let same = true;
  a.forEach((v) => {
    if (same && !b.has(v)) same = false;
  });
  return same;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A hash consistent with {@link equals}: equal values (including 1 and 1.0) hash alike. */
export function hashValue(v: Value): number {
  if (v === null) return 0x9e3779b9;
  switch (typeof v) {
    case "boolean":
      return v ? 0x1234567 : 0x7654321;
    case "string":
      return hashString(v);
  }
  if (v instanceof RNumber) {
    const n = v.toSafeInt();
    if (n !== undefined) return mix(n | 0) ^ mix(Math.floor(n / 2 ** 32));
    return hashString(`${v.m}e${v.e}`);
  }
  if (v.hashCache !== undefined) return v.hashCache;
  let h: number;
  if (v instanceof RArray) {
    h = 0x345678;
    for (const x of v.items) h = (Math.imul(h, 31) + hashValue(x)) >>> 0;
  } else if (v instanceof RObject) {
    // Order-independent: objects equal regardless of insertion order.
    h = 0x7a7a7a;
    v.forEach((k, x) => {
      h = (h + mix(hashValue(k) ^ Math.imul(hashValue(x), 0x27d4eb2d))) >>> 0;
    });
  } else {
    h = 0x5e75e7;
    v.forEach((x) => {
      h = (h + mix(hashValue(x))) >>> 0;
    });
  }
  v.hashCache = h;
  return h;
}
