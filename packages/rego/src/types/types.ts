/**
 * Rego's static types, as OPA's type checker models them: scalars, arrays (a static prefix plus
 * a dynamic element type), objects (static keys plus a dynamic key/value), sets, `any` (a union;
 * empty means every type) and functions. Printed exactly as OPA prints them in type errors
 * (`array<number>[string]`, `object<a: number>[string: any]`, `any<string, set[any]>`).
 */

export type Type =
  | { k: "null" } | { k: "boolean" } | { k: "number" } | { k: "string" }
  | ArrayType | ObjectType | SetType | AnyType | FunctionType;

export interface ArrayType { k: "array"; static: (Type | undefined)[]; dynamic: Type | undefined }
export interface ObjectType { k: "object"; static: [string, Type | undefined][]; dynamic: { key: Type; value: Type } | undefined }
export interface SetType { k: "set"; of: Type }
export interface AnyType { k: "any"; of: Type[] }
/** A function's declaration; argument and result names are only used in messages. */
export interface FunctionType { k: "fn"; args: Named[]; result: Named | undefined; variadic?: Type }
export interface Named { name?: string; type: Type }

export const T_NULL: Type = { k: "null" };
export const T_BOOL: Type = { k: "boolean" };
export const T_NUM: Type = { k: "number" };
export const T_STR: Type = { k: "string" };
export const T_ANY: AnyType = { k: "any", of: [] };

export function arrayOf(dynamic: Type | undefined, statics: (Type | undefined)[] = []): ArrayType {
  return { k: "array", static: statics, dynamic };
}
export function setOf(of: Type): SetType { return { k: "set", of }; }
export function objectOf(statics: [string, Type | undefined][], dynamic?: { key: Type; value: Type }): ObjectType {
  return { k: "object", static: [...statics].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), dynamic };
}

const ORDER: Record<Type["k"], number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6, any: 7, fn: 8 };

/** Total order over types (OPA's `types.Compare`), used to sort and dedupe unions. */
export function compareTypes(a: Type | undefined, b: Type | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const d = ORDER[a.k] - ORDER[b.k];
  if (d !== 0) return d;
  switch (a.k) {
    case "array": {
      const y = b as ArrayType;
      const n = Math.max(a.static.length, y.static.length);
      for (let i = 0; i < n; i++) { const c = compareTypes(a.static[i], y.static[i]); if (c) return c; }
      return compareTypes(a.dynamic, y.dynamic);
    }
    case "object": {
      const y = b as ObjectType;
      const n = Math.max(a.static.length, y.static.length);
      for (let i = 0; i < n; i++) {
        const p = a.static[i]; const q = y.static[i];
        if (!p || !q) return p ? 1 : -1;
        if (p[0] !== q[0]) return p[0] < q[0] ? -1 : 1;
        const c = compareTypes(p[1], q[1]); if (c) return c;
      }
      if (!a.dynamic || !y.dynamic) return a.dynamic === y.dynamic ? 0 : a.dynamic ? 1 : -1;
      return compareTypes(a.dynamic.key, y.dynamic.key) || compareTypes(a.dynamic.value, y.dynamic.value);
    }
    case "set": return compareTypes(a.of, (b as SetType).of);
    case "any": {
      const y = b as AnyType;
      if (a.of.length !== y.of.length) return a.of.length - y.of.length;
      for (let i = 0; i < a.of.length; i++) { const c = compareTypes(a.of[i], y.of[i]); if (c) return c; }
      return 0;
    }
    case "fn": return 0;
    default: return 0;
  }
}

/** `any<...>` of the given types, flattened, sorted and deduplicated (OPA's `types.NewAny`). */
export function anyOf(types: Type[]): AnyType {
  const flat: Type[] = [];
  for (const t of types) {
    if (t.k === "any") {
      if (t.of.length === 0) return T_ANY;
      flat.push(...t.of);
    } else flat.push(t);
  }
  flat.sort(compareTypes);
  return { k: "any", of: flat.filter((t, i) => i === 0 || compareTypes(flat[i - 1], t) !== 0) };
}

/** The union of two types (OPA's `types.Or`): undefined is the neutral element. */
export function or(a: Type | undefined, b: Type | undefined): Type | undefined {
  if (!a) return b;
  if (!b) return a;
  if (compareTypes(a, b) === 0) return a;
  if ((a.k === "any" && a.of.length === 0) || (b.k === "any" && b.of.length === 0)) return T_ANY;
  return anyOf([a, b]);
}

/** Prints a type as OPA does; an unknown type is `???`. */
export function typeString(t: Type | undefined): string {
  if (!t) return "???";
  switch (t.k) {
    case "null": case "boolean": case "number": case "string": return t.k;
    case "array": {
      let s = "array";
      if (t.static.length > 0) s += `<${t.static.map(typeString).join(", ")}>`;
      if (t.dynamic) s += `[${typeString(t.dynamic)}]`;
      return s;
    }
    case "object": {
      let s = "object";
      if (t.static.length > 0) s += `<${t.static.map(([k, v]) => `${k}: ${typeString(v)}`).join(", ")}>`;
      if (t.dynamic) s += `[${typeString(t.dynamic.key)}: ${typeString(t.dynamic.value)}]`;
      return s;
    }
    case "set": return `set[${typeString(t.of)}]`;
    case "any": return t.of.length === 0 ? "any" : `any<${t.of.map(typeString).join(", ")}>`;
    case "fn": return `${argsString(t.args, t.variadic)} => ${t.result ? namedString(t.result) : "???"}`;
  }
}

export function namedString(n: Named): string {
  return n.name ? `${n.name}: ${typeString(n.type)}` : typeString(n.type);
}

/** `(x: string, y: number)` and `(..., ...any)` for variadic functions, as OPA prints arguments. */
export function argsString(args: readonly Named[], variadic?: Type): string {
  const parts = args.map(namedString);
  if (variadic) parts.push(`...${typeString(variadic)}`);
  return `(${parts.join(", ")})`;
}

/** Element type of an array at position i (static entry, else the dynamic element type). */
export function arraySelect(t: ArrayType, i: number): Type | undefined {
  return i < t.static.length ? t.static[i] : t.dynamic;
}

function objectSelect(t: ObjectType, key: string): Type | undefined {
  const s = t.static.find(([k]) => k === key);
  if (s) return s[1];
  return t.dynamic?.value;
}

function isTop(t: Type | undefined): boolean { return t === undefined || (t.k === "any" && t.of.length === 0); }

/**
 * Whether values of the two types can be equal (OPA's `unifies`). Unknown (undefined) parts of
 * composite types are treated as `any`: the checker only refuses what can never succeed.
 */
export function unifies(a: Type | undefined, b: Type | undefined): boolean {
  if (isTop(a) || isTop(b)) return true;
  const x = a!; const y = b!;
  if (x.k === "any") { if (y.k !== "fn" && x.of.some((m) => unifies(m, y))) return true; }
  if (y.k === "any") { if (x.k !== "fn" && y.of.some((m) => unifies(m, x))) return true; }
  if (x.k === "any" || y.k === "any") return false;
  if (x.k !== y.k) return false;
  switch (x.k) {
    case "array": {
      const z = y as ArrayType;
      for (let i = 0; i < x.static.length; i++) if (!unifiesOrUndefined(x.static[i], arraySelect(z, i), i < z.static.length || !!z.dynamic)) return false;
      for (let i = 0; i < z.static.length; i++) if (!unifiesOrUndefined(z.static[i], arraySelect(x, i), i < x.static.length || !!x.dynamic)) return false;
      return !x.dynamic || !z.dynamic || unifies(x.dynamic, z.dynamic);
    }
    case "object": {
      const z = y as ObjectType;
      for (const [k, v] of x.static) if (!unifiesOrUndefined(v, objectSelect(z, k), true)) return false;
      for (const [k, v] of z.static) if (!unifiesOrUndefined(v, objectSelect(x, k), true)) return false;
      return !x.dynamic || !z.dynamic || unifies(x.dynamic.value, z.dynamic.value);
    }
    case "set": return unifies(x.of, (y as SetType).of);
    default: return true;
  }
}

/** An array position missing on one side (a shorter static array) can never unify. */
function unifiesOrUndefined(a: Type | undefined, b: Type | undefined, present: boolean): boolean {
  if (!present) return false;
  if (b === undefined && a !== undefined) return true;
  return unifies(a, b);
}
