import { parseDecl } from "./parse-type.js";
import type { FunctionType } from "./types.js";

/**
 * Argument and result types of every builtin, written as OPA prints them in type errors, with
 * OPA's argument names (they appear in `want: (...)` lines). The type checker refuses calls whose
 * operands can never have these types, as `opa check` does. A builtin missing here fails the
 * `builtin-decls` test.
 */
const OBJ = "object[any: any]";
const COLL_ANY = "any<array[any], set[any]>";
const COLL_NUM = "any<array[number], set[number]>";
const COLL_STR = "any<array[string], set[string]>";
const STRS = "any<string, array[string], set[string]>";
const TIME = "any<number, array<number, string>>";
const PATHS = "any<array[any<string, array[any]>], set[any<string, array[any]>]>";
const CIDRS = "any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>";
const JWT_VERIFY = "(jwt: string, certificate: string) => result: boolean";
const JWT_HS = "(jwt: string, secret: string) => result: boolean";
const CMP = "(x: any, y: any) => result: boolean";
const ARITH = "(x: number, y: number) => z: number";
const ROUND = "(x: number) => y: number";
const IS = "(x: any) => result: boolean";
const TRIM = "(value: string, cutset: string) => output: string";
const HASH = "(x: string) => y: string";
const HMAC = "(x: string, key: string) => y: string";
const ENC = "(x: string) => y: string";

const DECLS: Record<string, string> = {
  // operators
  equal: CMP, neq: CMP, lt: CMP, lte: CMP, gt: CMP, gte: CMP,
  plus: ARITH, mul: ARITH, div: "(x: number, y: number) => z: number", rem: ARITH,
  minus: "(x: any<number, set[any]>, y: any<number, set[any]>) => z: any<number, set[any]>",
  and: "(x: set[any], y: set[any]) => z: set[any]", or: "(x: set[any], y: set[any]) => z: set[any]",
  "internal.member_2": "(any, any) => boolean", "internal.member_3": "(any, any, any) => boolean",
  // numbers
  abs: ROUND, round: ROUND, ceil: ROUND, floor: ROUND,
  "numbers.range": "(a: number, b: number) => range: array[number]",
  "numbers.range_step": "(a: number, b: number, step: number) => range: array[number]",
  "rand.intn": "(str: string, n: number) => y: number",
  "bits.and": ARITH, "bits.or": ARITH, "bits.xor": ARITH, "bits.negate": "(x: number) => z: number",
  "bits.lsh": "(x: number, s: number) => z: number", "bits.rsh": "(x: number, s: number) => z: number",
  to_number: "(x: any<null, boolean, number, string>) => num: number",
  format_int: "(number: number, base: number) => output: string",
  // aggregates
  count: "(collection: any<string, array[any], object[any: any], set[any]>) => n: number",
  sum: `(collection: ${COLL_NUM}) => n: number`, product: `(collection: ${COLL_NUM}) => n: number`,
  max: `(collection: ${COLL_ANY}) => n: any`, min: `(collection: ${COLL_ANY}) => n: any`,
  sort: `(collection: ${COLL_ANY}) => n: array[any]`,
  any: `(${COLL_ANY}) => boolean`, all: `(${COLL_ANY}) => boolean`,
  // types
  type_name: "(x: any) => type: string",
  is_number: IS, is_string: IS, is_boolean: IS, is_array: IS, is_set: IS, is_object: IS, is_null: IS,
  cast_array: "(any) => array[any]", cast_set: "(any) => set[any]", cast_string: "(any) => string",
  cast_boolean: "(any) => boolean", cast_null: "(any) => null", cast_object: `(any) => ${OBJ}`,
  // arrays
  "array.concat": "(x: array[any], y: array[any]) => z: array[any]",
  "array.slice": "(arr: array[any], start: number, stop: number) => slice: array[any]",
  "array.reverse": "(arr: array[any]) => rev: array[any]",
  "array.flatten": "(arr: array[any]) => output: array[any]",
  // objects
  "object.get": `(object: ${OBJ}, key: any, default: any) => value: any`,
  "object.keys": `(object: ${OBJ}) => value: set[any]`,
  "object.remove": `(object: ${OBJ}, keys: any<array[any], object[any: any], set[any]>) => output: any`,
  "object.filter": `(object: ${OBJ}, keys: any<array[any], object[any: any], set[any]>) => filtered: any`,
  "object.union": `(a: ${OBJ}, b: ${OBJ}) => output: any`,
  "object.union_n": `(objects: array[${OBJ}]) => output: any`,
  "object.subset": `(super: any<array[any], object[any: any], set[any]>, sub: any<array[any], object[any: any], set[any]>) => result: any`,
  "json.filter": `(object: ${OBJ}, paths: ${PATHS}) => filtered: any`,
  "json.remove": `(object: ${OBJ}, paths: ${PATHS}) => output: any`,
  "json.patch": "(object: any, patches: array[object<op: string, path: any>[any: any]]) => output: any",
  // sets
  union: "(xs: set[set[any]]) => y: set[any]", intersection: "(xs: set[set[any]]) => y: set[any]",
  set_diff: "(set[any], set[any]) => set[any]",
  // strings
  concat: `(delimiter: string, collection: ${COLL_STR}) => output: string`,
  contains: "(haystack: string, needle: string) => result: boolean",
  startswith: "(search: string, base: string) => result: boolean",
  endswith: "(search: string, base: string) => result: boolean",
  indexof: "(haystack: string, needle: string) => output: number",
  indexof_n: "(haystack: string, needle: string) => output: array[number]",
  lower: "(x: string) => y: string", upper: "(x: string) => y: string",
  replace: "(x: string, old: string, new: string) => y: string",
  split: "(x: string, delimiter: string) => ys: array[string]",
  "strings.split_n": "(x: string, delimiter: string, n: number) => ys: array[string]",
  substring: "(value: string, offset: number, length: number) => output: string",
  trim: TRIM, trim_left: TRIM, trim_right: TRIM,
  trim_prefix: "(value: string, prefix: string) => output: string",
  trim_suffix: "(value: string, suffix: string) => output: string",
  trim_space: "(value: string) => output: string",
  "strings.replace_n": "(patterns: object[string: string], value: string) => output: string",
  "strings.reverse": "(x: string) => y: string",
  "strings.count": "(search: string, substring: string) => output: number",
  "strings.any_prefix_match": `(search: ${STRS}, base: ${STRS}) => result: boolean`,
  "strings.any_suffix_match": `(search: ${STRS}, base: ${STRS}) => result: boolean`,
  sprintf: "(format: string, values: array[any]) => output: string",
  "strings.render_template": "(value: string, vars: object[string: any]) => result: string",
  "internal.template_string": "(array[any]) => string",
  // regex and globs
  "regex.match": "(pattern: string, value: string) => result: boolean",
  re_match: "(string, string) => boolean",
  "regex.is_valid": "(pattern: string) => result: boolean",
  "regex.find_n": "(pattern: string, value: string, number: number) => output: array[string]",
  "regex.find_all_string_submatch_n": "(pattern: string, value: string, number: number) => output: array[array[string]]",
  "regex.replace": "(s: string, pattern: string, value: string) => output: string",
  "regex.split": "(pattern: string, value: string) => output: array[string]",
  "regex.template_match": "(template: string, value: string, delimiter_start: string, delimiter_end: string) => result: boolean",
  "regex.globs_match": "(glob1: string, glob2: string) => result: boolean",
  "glob.match": "(pattern: string, delimiters: any<null, array[string]>, match: string) => result: boolean",
  "glob.quote_meta": "(pattern: string) => output: string",
  // encoding
  "json.marshal": "(x: any) => y: string",
  "json.marshal_with_options": "(x: any, opts: object<indent: string, prefix: string, pretty: boolean>[string: any]) => y: string",
  "json.unmarshal": "(x: string) => y: any", "json.is_valid": "(x: string) => result: boolean",
  "yaml.marshal": "(x: any) => y: string", "yaml.unmarshal": "(x: string) => y: any", "yaml.is_valid": "(x: string) => result: boolean",
  "base64.encode": ENC, "base64.decode": ENC, "base64.is_valid": "(x: string) => result: boolean",
  "base64url.encode": ENC, "base64url.encode_no_pad": ENC, "base64url.decode": ENC,
  "hex.encode": ENC, "hex.decode": ENC, "urlquery.encode": ENC, "urlquery.decode": ENC,
  "urlquery.encode_object": "(object: object[string: any<string, array[string], set[string]>]) => y: string",
  "urlquery.decode_object": "(x: string) => object: object[string: array[string]]",
  // time
  "time.now_ns": "() => now: number",
  "time.parse_ns": "(layout: string, value: string) => ns: number",
  "time.parse_rfc3339_ns": "(value: string) => ns: number",
  "time.parse_duration_ns": "(duration: string) => ns: number",
  "time.format": "(x: any<number, array<number, string>, array<number, string, string>>) => formatted timestamp: string",
  "time.date": `(x: ${TIME}) => date: array<number, number, number>`,
  "time.clock": `(x: ${TIME}) => output: array<number, number, number>`,
  "time.weekday": `(x: ${TIME}) => day: string`,
  "time.add_date": "(ns: number, years: number, months: number, days: number) => output: number",
  "time.diff": `(ns1: ${TIME}, ns2: ${TIME}) => output: array<number, number, number, number, number, number>`,
  // units, semver, uuid, uri
  "units.parse": "(x: string) => y: number", "units.parse_bytes": "(x: string) => y: number",
  "semver.compare": "(a: string, b: string) => result: number", "semver.is_valid": "(vsn: any) => result: boolean",
  "uuid.rfc4122": "(k: string) => output: string", "uuid.parse": "(uuid: string) => result: object[string: any]",
  "uri.parse": "(x: string) => y: object[string: any]", "uri.is_valid": "(x: any) => result: boolean",
  // net
  "net.cidr_contains": "(cidr: string, cidr_or_ip: string) => result: boolean",
  "net.cidr_intersects": "(cidr1: string, cidr2: string) => result: boolean",
  "net.cidr_overlap": "(string, string) => boolean",
  "net.cidr_contains_matches": `(cidrs: ${CIDRS}, cidrs_or_ips: ${CIDRS}) => output: set[array<any, any>]`,
  "net.cidr_expand": "(cidr: string) => hosts: set[string]",
  "net.cidr_merge": "(addrs: any<array[any<string>], set[string]>) => output: set[string]",
  "net.cidr_is_valid": "(cidr: string) => result: boolean",
  // graphs
  walk: "(x: any) => output: array<array[any], any>",
  "graph.reachable": "(graph: object[any: any<array[any], set[any]>], initial: any<array[any], set[any]>) => output: set[any]",
  "graph.reachable_paths": "(graph: object[any: any<array[any], set[any]>], initial: any<array[any], set[any]>) => output: set[array[any]]",
  // crypto and tokens
  "crypto.md5": HASH, "crypto.sha1": HASH, "crypto.sha256": HASH,
  "crypto.hmac.md5": HMAC, "crypto.hmac.sha1": HMAC, "crypto.hmac.sha256": HMAC, "crypto.hmac.sha512": HMAC,
  "crypto.hmac.equal": "(mac1: string, mac2: string) => result: boolean",
  "crypto.parse_private_keys": "(keys: string) => output: array[object[string: any]]",
  "io.jwt.decode": `(jwt: string) => output: array<${OBJ}, ${OBJ}, string>`,
  "io.jwt.decode_verify": `(jwt: string, constraints: object[string: any]) => output: array<boolean, ${OBJ}, ${OBJ}>`,
  "io.jwt.encode_sign": "(headers: object[string: any], payload: object[string: any], key: object[string: any]) => output: string",
  "io.jwt.encode_sign_raw": "(headers: string, payload: string, key: string) => output: string",
  "io.jwt.verify_rs256": JWT_VERIFY, "io.jwt.verify_rs384": JWT_VERIFY, "io.jwt.verify_rs512": JWT_VERIFY,
  "io.jwt.verify_ps256": JWT_VERIFY, "io.jwt.verify_ps384": JWT_VERIFY, "io.jwt.verify_ps512": JWT_VERIFY,
  "io.jwt.verify_es256": JWT_VERIFY, "io.jwt.verify_es384": JWT_VERIFY, "io.jwt.verify_es512": JWT_VERIFY,
  "io.jwt.verify_eddsa": JWT_VERIFY,
  "io.jwt.verify_hs256": JWT_HS, "io.jwt.verify_hs384": JWT_HS, "io.jwt.verify_hs512": JWT_HS,
  // runtime and debugging
  "http.send": "(request: object[string: any]) => response: object[any: any]",
  "opa.runtime": "() => output: object[string: any]",
  trace: "(note: string) => result: boolean",
  print: "(...any)",
  "internal.print": "(array[set[any]])",
  "test.sleep": "(duration: string) => null",
  // Spacelift's extension for plan policies: what a value becomes after sanitization.
  sanitized: "(x: any) => y: any",
};

const parsed = new Map<string, FunctionType>();

/** The declaration of a builtin, or undefined when none is written (the call is not checked). */
export function builtinDecl(name: string): FunctionType | undefined {
  let d = parsed.get(name);
  if (!d) {
    const text = DECLS[name];
    if (text === undefined) return undefined;
    d = parseDecl(text);
    parsed.set(name, d);
  }
  return d;
}

/** Names of every declared builtin (for the test that keeps the table complete). */
export function declaredBuiltins(): string[] { return Object.keys(DECLS); }
