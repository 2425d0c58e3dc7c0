import { RArray, RNumber, RObject, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import { arr, obj, operandError, typeFail } from "./args.js";
import { Undefined } from "./registry.js";
import type { BuiltinDef } from "./registry.js";

/** Splits a JSON-pointer-like path (`a/b/c` or `/a/b/c`; `~1` is `/`, `~0` is `~`). */
export function splitPath(p: string): string[] {
  if (p === "") return [];
  const body = p.startsWith("/") ? p.slice(1) : p;
  return body.split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function pathOf(v: Value): Value[] | undefined {
  if (typeof v === "string") return splitPath(v);
  if (v instanceof RArray) return [...v.items];
  return undefined;
}

/** An array index from a path segment: a canonical non-negative integer, as a string or number. */
function indexOf(seg: Value, len: number, allowEnd: boolean): number | undefined {
  let n: number | undefined;
  if (seg instanceof RNumber) n = seg.toSafeInt();
  else if (typeof seg === "string" && /^(0|[1-9]\d*)$/.test(seg)) n = Number(seg);
  else if (seg === "-" && allowEnd) return len;
  if (n === undefined || n < 0 || n > (allowEnd ? len : len - 1)) return undefined;
  return n;
}

function child(doc: Value, seg: Value): Value | undefined {
  if (doc instanceof RObject) return doc.get(seg);
  if (doc instanceof RArray) {
    const i = indexOf(seg, doc.length, false);
    return i === undefined ? undefined : doc.items[i];
  }
  if (doc instanceof RSet) return doc.has(seg) ? seg : undefined;
  return undefined;
}

function getPath(doc: Value, path: readonly Value[]): Value | undefined {
  let cur: Value | undefined = doc;
  for (const seg of path) {
    if (cur === undefined) return undefined;
    cur = child(cur, seg);
  }
  return cur;
}

/** Rebuilds `doc` with `fn` applied to the container at `path[:-1]` and the last segment. */
function update(doc: Value, path: readonly Value[], fn: (container: Value, last: Value) => Value): Value {
  if (path.length === 0) throw new Undefined();
  const [seg, ...rest] = path as [Value, ...Value[]];
  if (rest.length === 0) return fn(doc, seg);
  const c = child(doc, seg);
  if (c === undefined) throw new Undefined();
  const updated = update(c, rest, fn);
  if (doc instanceof RObject) return doc.with(seg, updated);
  if (doc instanceof RArray) {
    const items = [...doc.items];
    items[indexOf(seg, doc.length, false)!] = updated;
    return new RArray(items);
  }
  if (doc instanceof RSet) return doc.difference(RSet.from([seg])).with(updated);
  throw new Undefined();
}

function addAt(doc: Value, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  return update(doc, path, (c, last) => {
    if (c instanceof RObject) return c.with(last, value);
    if (c instanceof RArray) {
      const i = indexOf(last, c.length, true);
      if (i === undefined) throw new Undefined();
      const items = [...c.items];
      items.splice(i, 0, value);
      return new RArray(items);
    }
    if (c instanceof RSet) {
      if (!equals(last, value)) throw new Undefined();
      return c.with(value);
    }
    throw new Undefined();
  });
}

function removeAt(doc: Value, path: readonly Value[]): Value {
  return update(doc, path, (c, last) => {
    if (c instanceof RObject) {
      if (!c.has(last)) throw new Undefined();
      return c.without(last);
    }
    if (c instanceof RArray) {
      const i = indexOf(last, c.length, false);
      if (i === undefined) throw new Undefined();
      return new RArray(c.items.filter((_, j) => j !== i));
    }
    if (c instanceof RSet) {
      if (!c.has(last)) throw new Undefined();
      return c.difference(RSet.from([last]));
    }
    throw new Undefined();
  });
}

function isPrefix(a: readonly Value[], b: readonly Value[]): boolean {
  return a.length < b.length && a.every((x, i) => equals(x, b[i]!));
}

function applyOp(doc: Value, op: Value): Value {
  if (!(op instanceof RObject)) throw new Undefined();
  const kind = op.get("op");
  const path = pathOf(op.get("path") ?? null);
  if (path === undefined) throw new Undefined();
  const from = (): Value[] => {
    const f = pathOf(op.get("from") ?? null);
    if (f === undefined) throw new Undefined();
    return f;
  };
  const value = (): Value => {
    const v = op.get("value");
    if (v === undefined) throw new Undefined();
    return v;
  };
  switch (kind) {
    case "add":
      return addAt(doc, path, value());
    case "remove":
      return removeAt(doc, path);
    case "replace":
      if (getPath(doc, path) === undefined) throw new Undefined();
      return path.length === 0 ? value() : addAt(removeAt(doc, path), path, value());
    case "move": {
      const f = from();
      if (isPrefix(f, path)) throw new Undefined();
      const v = getPath(doc, f);
      if (v === undefined) throw new Undefined();
      if (f.length === path.length && f.every((x, i) => equals(x, path[i]!))) return doc;
      return addAt(removeAt(doc, f), path, v);
    }
    case "copy": {
      const v = getPath(doc, from());
      if (v === undefined) throw new Undefined();
      return addAt(doc, path, v);
    }
    case "test": {
      const v = getPath(doc, path);
      if (v === undefined || !equals(v, value())) throw new Undefined();
      return doc;
    }
    default:
      throw new Undefined();
  }
}

function patch(args: Value[]): Value {
  return arr(args, 1).items.reduce<Value>((doc, op) => applyOp(doc, op), args[0] as Value);
}

/** A trie of paths: `true` marks a path end (keep or drop the whole subtree). */
type PathTrie = Map<string, PathTrie | true>;

function segKey(seg: Value): string {
  return typeof seg === "string" ? seg : seg instanceof RNumber ? seg.toString() : JSON.stringify(String(seg));
}

function buildTrie(v: Value): PathTrie {
  if (!(v instanceof RArray) && !(v instanceof RSet)) throw operandError(2, "one of {set, array}", v);
  const root: PathTrie = new Map();
  const items = v instanceof RArray ? v.items : v.values();
  for (const p of items) {
    const path = pathOf(p);
    if (path === undefined) {
      const t = p === null ? "null" : p instanceof RObject ? "object" : p instanceof RSet ? "set" : p instanceof RNumber ? "number" : typeof p;
      throw typeFail(`operand 2 must be one of {set, array} containing string paths or array of path segments but got ${t}`);
    }
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const k = segKey(path[i]!);
      const existing = node.get(k);
      if (existing === true) break;
      if (i === path.length - 1) {
        node.set(k, true);
        break;
      }
      const next: PathTrie = existing ?? new Map();
      node.set(k, next);
      node = next;
    }
  }
  return root;
}

function filterBy(doc: Value, trie: PathTrie): Value {
  if (doc instanceof RObject) {
    const out: [Value, Value][] = [];
    for (const [k, v] of doc.entries()) {
      const t = trie.get(segKey(k));
      if (t === true) out.push([k, v]);
      else if (t) out.push([k, filterBy(v, t)]);
    }
    return RObject.from(out);
  }
  if (doc instanceof RArray) {
    const out: Value[] = [];
    doc.items.forEach((v, i) => {
      const t = trie.get(String(i));
      if (t === true) out.push(v);
      else if (t) out.push(filterBy(v, t));
    });
    return new RArray(out);
  }
  if (doc instanceof RSet) {
    return RSet.from(doc.values().filter((v) => trie.has(segKey(v))));
  }
  return doc;
}

function removeBy(doc: Value, trie: PathTrie): Value {
  if (doc instanceof RObject) {
    const out: [Value, Value][] = [];
    for (const [k, v] of doc.entries()) {
      const t = trie.get(segKey(k));
      if (t === true) continue;
      out.push([k, t ? removeBy(v, t) : v]);
    }
    return RObject.from(out);
  }
  if (doc instanceof RArray) {
    const out: Value[] = [];
    doc.items.forEach((v, i) => {
      const t = trie.get(String(i));
      if (t === true) return;
      out.push(t ? removeBy(v, t) : v);
    });
    return new RArray(out);
  }
  if (doc instanceof RSet) return RSet.from(doc.values().filter((v) => trie.get(segKey(v)) !== true));
  return doc;
}

/** json.patch, json.filter and json.remove. */
export const jsonPathBuiltins: BuiltinDef[] = [
  { name: "json.patch", arity: 2, fn: patch },
  { name: "json.filter", arity: 2, fn: (a) => filterBy(obj(a, 0), buildTrie(a[1] as Value)) },
  { name: "json.remove", arity: 2, fn: (a) => removeBy(obj(a, 0), buildTrie(a[1] as Value)) },
];
