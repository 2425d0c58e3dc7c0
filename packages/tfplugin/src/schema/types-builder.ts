import type { CtyType, TypeSpec, TfValue, NumberValue } from "../types.js";

type ObjectValueOf<S extends { readonly [k: string]: TypeSpec<unknown> }> = {
  -readonly [K in keyof S]: S[K] extends TypeSpec<infer T> ? T | null : never;
};

type TupleValueOf<S extends readonly TypeSpec<unknown>[]> = { -readonly [K in keyof S]: S[K] extends TypeSpec<infer T> ? T | null : never };

function spec<T>(cty: CtyType, integer?: boolean): TypeSpec<T> {
  return integer ? { cty, integer } : { cty };
}

/**
 * cty type constructors with their TypeScript value types.
 *
 * @example t.list(t.string)            // string[]
 * @example t.object({ port: t.int })   // { port: number | null }
 */
export const t = {
  string: spec<string>("string"),
  bool: spec<boolean>("bool"),
  /** Arbitrary-precision number. */
  number: spec<NumberValue>("number"),
  /** A cty number that must be a whole number representable as a JS number (validated). */
  int: spec<number>("number", true),
  /** Any type; values carry their type through a round trip. */
  dynamic: spec<TfValue>("dynamic"),
  list<T>(element: TypeSpec<T>): TypeSpec<T[]> {
    return spec(["list", element.cty]);
  },
  /** A set: given to JS as an array in no particular order. */
  set<T>(element: TypeSpec<T>): TypeSpec<T[]> {
    return spec(["set", element.cty]);
  },
  map<T>(element: TypeSpec<T>): TypeSpec<{ [key: string]: T }> {
    return spec(["map", element.cty]);
  },
  object<S extends { readonly [k: string]: TypeSpec<unknown> }>(attributes: S): TypeSpec<ObjectValueOf<S>> {
    const out: { [k: string]: CtyType } = {};
    for (const [k, v] of Object.entries(attributes)) out[k] = v.cty;
    return spec(["object", out]);
  },
  tuple<const S extends readonly TypeSpec<unknown>[]>(elements: S): TypeSpec<TupleValueOf<S>> {
    return spec(["tuple", elements.map((e) => e.cty)]);
  },
};
