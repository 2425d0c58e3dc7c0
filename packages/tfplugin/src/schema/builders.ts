import type {
  AttributeDef,
  AttributeFields,
  AttributeOptions,
  BlockDef,
  BlockOptions,
  CtyType,
  Fields,
  NumberValue,
  StateOf,
  TfValue,
  TypeSpec,
} from "../types.js";
import { t } from "./types-builder.js";

function attribute<T, O extends AttributeOptions<T>>(type: TypeSpec<T>, options: O): AttributeDef<T, O> {
  return { kind: "attribute", type, options };
}

type NestedValue<F extends AttributeFields, M extends "single" | "list" | "set" | "map"> = M extends "single"
  ? StateOf<F>
  : M extends "map"
    ? { [key: string]: StateOf<F> }
    : StateOf<F>[];

/**
 * Attribute constructors. Options are kept as literal types so the handler arguments know
 * which attributes are required (never null) or computed (maybe unknown while planning).
 *
 * @example
 * const schema = {
 *   id: attr.string({ computed: true, useStateForUnknown: true }),
 *   bucket: attr.string({ required: true, requiresReplace: true }),
 *   tags: attr.map(t.string, { optional: true }),
 *   port: attr.int({ optional: true, default: 5432 }),
 * };
 */
export const attr = {
  string<const O extends AttributeOptions<string>>(options: O): AttributeDef<string, O> {
    return attribute(t.string, options);
  },
  bool<const O extends AttributeOptions<boolean>>(options: O): AttributeDef<boolean, O> {
    return attribute(t.bool, options);
  },
  /** Arbitrary-precision number (`number`, or `ExactNumber` when a double cannot hold it). */
  number<const O extends AttributeOptions<NumberValue>>(options: O): AttributeDef<NumberValue, O> {
    return attribute(t.number, options);
  },
  /** Whole number (Terraform type `number`; non-integers are rejected during validation). */
  int<const O extends AttributeOptions<number>>(options: O): AttributeDef<number, O> {
    return attribute(t.int, options);
  },
  /** Any value; its Terraform type is preserved through plan and state. */
  dynamic<const O extends AttributeOptions<TfValue>>(options: O): AttributeDef<TfValue, O> {
    return attribute(t.dynamic, options);
  },
  list<T, const O extends AttributeOptions<T[]>>(element: TypeSpec<T>, options: O): AttributeDef<T[], O> {
    return attribute(t.list(element), options);
  },
  set<T, const O extends AttributeOptions<T[]>>(element: TypeSpec<T>, options: O): AttributeDef<T[], O> {
    return attribute(t.set(element), options);
  },
  map<T, const O extends AttributeOptions<{ [key: string]: T }>>(element: TypeSpec<T>, options: O): AttributeDef<{ [key: string]: T }, O> {
    return attribute(t.map(element), options);
  },
  /** An attribute of any type built with `t` (objects, tuples, nested collections). */
  typed<T, const O extends AttributeOptions<T>>(type: TypeSpec<T>, options: O): AttributeDef<T, O> {
    return attribute(type, options);
  },
  /**
   * A nested attribute (`rules = [{ ... }]`), protocol 6 style: nested fields get their own
   * required/optional/computed flags.
   */
  nested<F extends AttributeFields, M extends "single" | "list" | "set" | "map", const O extends AttributeOptions<NestedValue<F, M>>>(
    mode: M,
    fields: F,
    options: O,
  ): AttributeDef<NestedValue<F, M>, O> {
    const inner: { [k: string]: CtyType } = {};
    for (const [k, v] of Object.entries(fields)) inner[k] = v.type.cty;
    const object: CtyType = ["object", inner];
    const cty: CtyType = mode === "single" ? object : [mode, object];
    return { kind: "attribute", type: { cty }, options, nested: { mode, fields } };
  },
};

function makeBlock<V>(mode: BlockDef<V>["mode"], fields: Fields, options: BlockOptions = {}): BlockDef<V> {
  return { kind: "block", mode, fields, options };
}

/**
 * Nested block constructors (`ingress { ... }` repeated in HCL).
 *
 * @example block.list({ from_port: attr.int({ required: true }) }, { maxItems: 10 })
 */
export const block = {
  /** At most one block; null when absent. */
  single<F extends Fields>(fields: F, options?: BlockOptions): BlockDef<StateOf<F> | null> {
    return makeBlock("single", fields, options);
  },
  /** A block that is always present (attributes default to null). */
  group<F extends Fields>(fields: F, options?: BlockOptions): BlockDef<StateOf<F>> {
    return makeBlock("group", fields, options);
  },
  list<F extends Fields>(fields: F, options?: BlockOptions): BlockDef<StateOf<F>[]> {
    return makeBlock("list", fields, options);
  },
  set<F extends Fields>(fields: F, options?: BlockOptions): BlockDef<StateOf<F>[]> {
    return makeBlock("set", fields, options);
  },
  /** Labelled blocks (`thing "label" { ... }`). */
  map<F extends Fields>(fields: F, options?: BlockOptions): BlockDef<{ [label: string]: StateOf<F> }> {
    return makeBlock("map", fields, options);
  },
};
