import type { AnyAttribute, AttributeFields, BlockDef, Fields } from "../types.js";
import { TfPluginError } from "../errors.js";
import { isComputed } from "./object-type.js";

/** Plain-object form of tfplugin6.Schema (field names as in the .proto). */
export interface ProtoSchema {
  version: number;
  block: ProtoBlock;
}

interface ProtoBlock {
  version: number;
  attributes: ProtoAttribute[];
  block_types: ProtoNestedBlock[];
  description: string;
  deprecated: boolean;
}

interface ProtoAttribute {
  name: string;
  type?: Uint8Array;
  nested_type?: { attributes: ProtoAttribute[]; nesting: number };
  description: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  deprecated: boolean;
  write_only: boolean;
}

interface ProtoNestedBlock {
  type_name: string;
  block: ProtoBlock;
  nesting: number;
  min_items: number;
  max_items: number;
}

const BLOCK_NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;
const OBJECT_NESTING = { single: 1, list: 2, set: 3, map: 4 } as const;

/** Options for {@link schemaToProto}. */
export interface SchemaToProtoOptions {
  version?: number;
  description?: string;
  /** Provider configuration schemas may not contain computed attributes: defaults are applied in configure. */
  provider?: boolean;
}

/** Converts a definition schema to tfplugin6.Schema, checking flags for consistency. */
export function schemaToProto(fields: Fields, options: SchemaToProtoOptions = {}): ProtoSchema {
  const version = options.version ?? 0;
  return { version, block: blockToProto(fields, version, options.description ?? "", false, options.provider === true, []) };
}

function blockToProto(fields: Fields, version: number, description: string, deprecated: boolean, provider: boolean, path: string[]): ProtoBlock {
  const attributes: ProtoAttribute[] = [];
  const blockTypes: ProtoNestedBlock[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (field.kind === "attribute") attributes.push(attributeToProto(name, field, provider, [...path, name]));
    else blockTypes.push(nestedBlockToProto(name, field, provider, [...path, name]));
  }
  return { version, attributes, block_types: blockTypes, description, deprecated };
}

function nestedBlockToProto(name: string, block: BlockDef<unknown>, provider: boolean, path: string[]): ProtoNestedBlock {
  return {
    type_name: name,
    block: blockToProto(block.fields, 0, block.options.description ?? "", Boolean(block.options.deprecated), provider, path),
    nesting: BLOCK_NESTING[block.mode],
    min_items: block.options.minItems ?? 0,
    max_items: block.options.maxItems ?? 0,
  };
}

function attributeToProto(name: string, attribute: AnyAttribute, provider: boolean, path: string[]): ProtoAttribute {
  const o = attribute.options;
  const computed = provider ? false : isComputed(attribute);
  const required = o.required === true;
  // A provider-schema attribute with a default is optional: the default is applied before configure.
  const optional = o.optional === true || (provider && o.default !== undefined);
  const where = path.join(".");
  if (required && (optional || o.computed || o.default !== undefined)) {
    throw new TfPluginError("invalid_schema", `attribute ${where} is required, so it cannot also be optional, computed or have a default`);
  }
  if (!required && !optional && !computed) {
    throw new TfPluginError("invalid_schema", `attribute ${where} must be required, optional or computed`);
  }
  if (o.writeOnly && (computed || o.sensitive === false)) {
    throw new TfPluginError("invalid_schema", `write-only attribute ${where} cannot be computed or have a default`);
  }
  const out: ProtoAttribute = {
    name,
    description: o.description ?? "",
    required,
    optional,
    computed,
    sensitive: o.sensitive === true,
    deprecated: Boolean(o.deprecated),
    write_only: o.writeOnly === true,
  };
  if (attribute.nested) {
    out.nested_type = {
      attributes: Object.entries(attribute.nested.fields as AttributeFields).map(([n, a]) => attributeToProto(n, a, provider, [...path, n])),
      nesting: OBJECT_NESTING[attribute.nested.mode],
    };
  } else {
    out.type = new TextEncoder().encode(JSON.stringify(attribute.type.cty));
  }
  return out;
}
