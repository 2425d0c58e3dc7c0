import type { AnyAttribute, AnyField, BlockDef, CtyType, Fields } from "../types.js";

/** The cty object type of a schema body: attributes plus nested blocks. */
export function objectTypeOf(fields: Fields): CtyType {
  const attrs: { [name: string]: CtyType } = {};
  for (const [name, field] of Object.entries(fields)) attrs[name] = fieldType(field);
  return ["object", attrs];
}

/** The cty type of one attribute or block field. */
export function fieldType(field: AnyField): CtyType {
  if (field.kind === "attribute") return field.type.cty;
  return blockType(field);
}

function blockType(block: BlockDef<unknown>): CtyType {
  const object = objectTypeOf(block.fields);
  if (block.mode === "single" || block.mode === "group") return object;
  return [block.mode, object];
}

/** True when the provider may set the attribute (computed, or optional with a default). */
export function isComputed(attribute: AnyAttribute): boolean {
  return attribute.options.computed === true || attribute.options.default !== undefined;
}
