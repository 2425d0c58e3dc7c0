import { RArray, RNumber, RObject, typeName } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { BuiltinDef } from "./registry.js";

/**
 * Operand types of frequently called builtins, `|`-separated type names (as `type_name` returns
 * them) or "any". Evaluators use them through {@link operandsAcceptable} to skip calls that can
 * only fail: in non-strict mode a failed call is just undefined, and throwing costs microseconds.
 */
const S = "string";
const N = "number";
const O = "object";
const A = "array";
const COLL = "array|set";
export const ARG_TYPES: Record<string, readonly string[]> = {
  plus: [N, N], mul: [N, N], div: [N, N], rem: [N, N], abs: [N], round: [N], ceil: [N], floor: [N],
  count: ["array|object|set|string"], sum: [COLL], product: [COLL], max: [COLL], min: [COLL], sort: [COLL],
  concat: [S, COLL], contains: [S, S], startswith: [S, S], endswith: [S, S], indexof: [S, S], indexof_n: [S, S],
  lower: [S], upper: [S], replace: [S, S, S], split: [S, S], "strings.split_n": [S, S, N], substring: [S, N, N],
  trim: [S, S], trim_left: [S, S], trim_right: [S, S], trim_prefix: [S, S], trim_suffix: [S, S], trim_space: [S],
  "strings.replace_n": [O, S], "strings.reverse": [S], "strings.count": [S, S],
  "strings.any_prefix_match": ["string|array|set", "string|array|set"], "strings.any_suffix_match": ["string|array|set", "string|array|set"],
  sprintf: [S, A], format_int: [N, N], "numbers.range": [N, N],
  "regex.match": [S, S], "regex.find_n": [S, S, N], "regex.replace": [S, S, S], "regex.split": [S, S],
  "glob.match": [S, "array|null", S],
  "object.get": [O, "any", "any"], "object.keys": [O], "object.remove": [O, "array|object|set"], "object.filter": [O, "array|object|set"],
  "object.union": [O, O], "object.union_n": [A], "object.subset": ["array|object|set", "array|object|set"],
  "array.concat": [A, A], "array.slice": [A, N, N], "array.reverse": [A], "array.flatten": [A],
  "json.unmarshal": [S], "yaml.unmarshal": [S], "base64.decode": [S], "base64.encode": [S],
  "time.parse_rfc3339_ns": [S], "time.parse_ns": [S, S], "time.parse_duration_ns": [S],
  "units.parse": [S], "units.parse_bytes": [S], "semver.compare": [S, S],
  "net.cidr_contains": [S, S], "net.cidr_intersects": [S, S],
};

const parsed = new WeakMap<BuiltinDef, (ReadonlySet<string> | null)[]>();

const TYPE_BITS: Readonly<Record<string, number>> = { null: 1, boolean: 2, number: 4, string: 8, array: 16, object: 32, set: 64 };

function typeBit(v: Value): number {
  if (typeof v === "string") return 8;
  if (v instanceof RObject) return 32;
  if (v instanceof RArray) return 16;
  if (v instanceof RNumber) return 4;
  if (v === null) return 1;
  return typeof v === "boolean" ? 2 : 64;
}

const acceptAll = (): boolean => true;
const checkers = new WeakMap<BuiltinDef, (args: readonly Value[]) => boolean>();

/**
 * {@link operandsAcceptable} compiled once per builtin (a bit mask per operand): cheap enough
 * to run before every call, so that calls that can only fail are skipped without throwing.
 */
export function operandCheck(def: BuiltinDef): (args: readonly Value[]) => boolean {
  let check = checkers.get(def);
  if (!check) {
    // Only operands with a restricted type are checked ("any" needs no look).
    const checked: [number, number][] = [];
    (def.argTypes ?? []).forEach((t, i) => {
      if (t !== "any") checked.push([i, t.split("|").reduce((m, n) => m | (TYPE_BITS[n] ?? 0), 0)]);
    });
    check = checked.length === 0 ? acceptAll : (args) => {
      for (let j = 0; j < checked.length; j++) {
        const [i, mask] = checked[j]!;
        if (i < args.length && (mask & typeBit(args[i] as Value)) === 0) return false;
      }
      return true;
    };
    checkers.set(def, check);
  }
  return check;
}

/**
 * False when an operand's type is outside the builtin's declared `argTypes`, i.e. the call can
 * only fail; true when it may succeed (or nothing is declared). Call `fn` anyway in strict mode
 * to get the exact error.
 */
export function operandsAcceptable(def: BuiltinDef, args: readonly Value[]): boolean {
  const types = def.argTypes;
  if (!types) return true;
  let sets = parsed.get(def);
  if (!sets) {
    sets = types.map((t) => (t === "any" ? null : new Set(t.split("|"))));
    parsed.set(def, sets);
  }
  for (let i = 0; i < sets.length; i++) {
    const allowed = sets[i];
    if (allowed && i < args.length && !allowed.has(typeName(args[i] as Value))) return false;
  }
  return true;
}
