import { RArray, RObject, RSet } from "./collections.js";
import { RNumber } from "./number.js";
import { jsonKey } from "./print.js";
import { ShapeTree } from "./shapes.js";
import type { Value } from "./types.js";

/**
 * Converts plain JS data to a Value: numbers (doubles), bigints (exact integers), strings,
 * booleans, null, arrays, `Set`s, `Map`s and plain objects. Values pass through unchanged.
 * `undefined` members of objects are skipped, as JSON.stringify does.
 */
export function fromJS(x: unknown): Value {
  return convert(x, new ShapeTree());
}

/** `fromJS` within one document: plain objects with the same keys share a key index. */
function convert(x: unknown, shapes: ShapeTree): Value {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case "boolean":
    case "string":
      return x;
    case "number":
      return RNumber.fromFloat(x);
    case "bigint":
      return RNumber.fromInt(x);
    case "object":
      break;
    default:
      throw new TypeError(`cannot convert a ${typeof x} to a rego value`);
  }
  if (x instanceof RNumber || x instanceof RArray || x instanceof RObject || x instanceof RSet) return x;
  if (Array.isArray(x)) return new RArray(x.map((v) => convert(v, shapes)));
  if (x instanceof Set) return RSet.from([...x].map((v) => convert(v, shapes)));
  if (x instanceof Map) return RObject.from([...x].map(([k, v]) => [convert(k, shapes), convert(v, shapes)] as [Value, Value]));
  const keys: string[] = [];
  const vals: Value[] = [];
  for (const [k, v] of Object.entries(x)) {
    if (v !== undefined) { keys.push(k); vals.push(convert(v, shapes)); }
  }
  return shapes.object(keys, vals);
}

/**
 * Converts a Value to JSON-compatible JS data, as OPA's JSON output would show it: sets become
 * sorted arrays, non-string object keys become their Rego text, and numbers become JS numbers.
 * Numbers are the one lossy part (integers beyond 2^53 and long decimals round to a double):
 * use {@link toJSONText} when exact digits matter.
 */
export function toJS(v: Value): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (v instanceof RNumber) return v.toNumber();
  if (v instanceof RArray) return v.items.map(toJS);
  if (v instanceof RSet) return v.values().map(toJS);
  const out: Record<string, unknown> = {};
  for (const [k, x] of v.entries()) out[jsonKey(k)] = toJS(x);
  return out;
}
