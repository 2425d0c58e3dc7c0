import { parse as parseYAML, stringify as stringifyYAML, YAMLParseError } from "yaml";
import { JSONSyntaxError, RArray, RNumber, RObject, RSet, fromJS, fromJSONText, jsonKey, writeJSON } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, obj, str, typeFail } from "./args.js";
import { bytesToString, decodeBase64, utf8 } from "./bytes.js";
import type { BuiltinDef } from "./registry.js";

/** JSON parse with Go's error wording (`unexpected end of JSON input`, `invalid character ...`). */
export function parseJSONGo(text: string): Value {
  try {
    return fromJSONText(text);
  } catch (e) {
    if (!(e instanceof JSONSyntaxError)) throw e;
    if (e.offset >= text.length) throw fail("unexpected end of JSON input");
    throw fail(`invalid character ${JSON.stringify(text[e.offset])} looking for beginning of value`.replace(/"/g, "'"));
  }
}

function marshalWithOptions(args: Value[]): Value {
  const opts = obj(args, 1);
  let pretty: boolean | undefined;
  let prefix = "";
  let indent = "\t";
  let sawIndentOrPrefix = false;
  for (const [k, v] of opts.entries()) {
    if (k === "pretty") {
      if (typeof v !== "boolean") throw typeFail('"pretty" must be a boolean');
      pretty = v;
    } else if (k === "prefix") {
      if (typeof v !== "string") throw typeFail('"prefix" must be a string');
      prefix = v;
      sawIndentOrPrefix = true;
    } else if (k === "indent") {
      if (typeof v !== "string") throw typeFail('"indent" must be a string');
      indent = v;
      sawIndentOrPrefix = true;
    } else {
      throw typeFail(`object contained unknown key ${JSON.stringify(k)}`);
    }
  }
  const on = pretty ?? sawIndentOrPrefix;
  if (!on) return writeJSON(args[0] as Value, { escapeHTML: true });
  return prefix + writeJSON(args[0] as Value, { indent, prefix, escapeHTML: true });
}

function yamlToValue(text: string): Value {
  try {
    return fromJS(parseYAML(text, { intAsBigInt: true, merge: true, version: "1.1" }) as unknown);
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const line = e.linePos?.[0]?.line ?? 1;
      const what = e.code === "MISSING_CHAR" ? "did not find expected node content" : e.message.split("\n")[0];
      throw fail(`yaml: line ${line}: ${what}`);
    }
    throw fail(`yaml: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** JS data for the YAML writer: like toJS, but integers beyond 2^53 stay exact (as bigints). */
function yamlData(v: Value): unknown {
  if (v instanceof RNumber) {
    const i = v.toBigInt();
    return i !== undefined && (i > BigInt(Number.MAX_SAFE_INTEGER) || i < BigInt(Number.MIN_SAFE_INTEGER)) ? i : v.toNumber();
  }
  if (v instanceof RArray) return v.items.map(yamlData);
  if (v instanceof RSet) return v.values().map(yamlData);
  if (v instanceof RObject) return Object.fromEntries(v.entries().map(([k, x]) => [jsonKey(k), yamlData(x)]));
  return v;
}

function yamlMarshal(v: Value): string {
  // Go (sigs.k8s.io/yaml, YAML 1.1 underneath) marshals via JSON: sets become arrays, keys become strings.
  return stringifyYAML(yamlData(v), { indentSeq: false, lineWidth: 0 });
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
}

/** Go's url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const bad = /%(?![0-9a-fA-F]{2})/.exec(s);
  if (bad) throw fail(`invalid URL escape ${JSON.stringify(s.slice(bad.index, bad.index + 3))}`);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === "+") bytes.push(32);
    else bytes.push(...utf8(c));
  }
  return bytesToString(Uint8Array.from(bytes));
}

function encodeObject(args: Value[]): Value {
  const o = obj(args, 0);
  const parts: string[] = [];
  for (const [k, v] of o.entries()) {
    if (typeof k !== "string") throw typeFail("operand 1 must be object of strings");
    const vals = typeof v === "string" ? [v] : v instanceof RArray ? v.items : v instanceof RSet ? v.values() : undefined;
    if (!vals) throw typeFail("operand 1 values must be string, array[string], or set[string]");
    for (const x of vals) {
      if (typeof x !== "string") throw typeFail("operand 1 values must be string, array[string], or set[string]");
      parts.push(`${queryEscape(k)}=${queryEscape(x)}`);
    }
  }
  return parts.join("&");
}

function decodeObject(args: Value[]): Value {
  const s = str(args, 0);
  const out = new Map<string, string[]>();
  for (const part of s.split(/[&]/)) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? "" : queryUnescape(part.slice(eq + 1));
    const list = out.get(k) ?? [];
    list.push(v);
    out.set(k, list);
  }
  return RObject.from([...out].map(([k, vs]) => [k, new RArray(vs)] as [Value, Value]));
}

function hexDecode(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (!/[0-9a-fA-F]/.test(s[i]!)) {
      const cp = s.codePointAt(i)!;
      throw fail(`encoding/hex: invalid byte: U+${cp.toString(16).toUpperCase().padStart(4, "0")} ${JSON.stringify(String.fromCodePoint(cp)).replace(/^"|"$/g, "'")}`);
    }
  }
  if (s.length % 2 === 1) throw fail("encoding/hex: odd length hex string");
  return bytesToString(Buffer.from(s, "hex"));
}

function isValidWith(test: (s: string) => unknown): (args: Value[]) => Value {
  return (args) => {
    const s = args[0];
    if (typeof s !== "string") return false;
    try {
      test(s);
      return true;
    } catch {
      return false;
    }
  };
}

/** json.*, yaml.*, base64*, hex.* and urlquery.* builtins (json paths live in json-paths.ts). */
export const encodingBuiltins: BuiltinDef[] = [
  { name: "json.marshal", arity: 1, fn: (a) => writeJSON(a[0] as Value, { escapeHTML: true }) },
  { name: "json.marshal_with_options", arity: 2, fn: marshalWithOptions },
  { name: "json.unmarshal", arity: 1, fn: (a) => parseJSONGo(str(a, 0)) },
  { name: "json.is_valid", arity: 1, fn: isValidWith(fromJSONText) },
  { name: "yaml.marshal", arity: 1, fn: (a) => yamlMarshal(a[0] as Value) },
  { name: "yaml.unmarshal", arity: 1, fn: (a) => yamlToValue(str(a, 0)) },
  { name: "yaml.is_valid", arity: 1, fn: isValidWith(yamlToValue) },
  { name: "base64.encode", arity: 1, fn: (a) => utf8(str(a, 0)).toString("base64") },
  { name: "base64.decode", arity: 1, fn: (a) => bytesToString(decodeBase64(str(a, 0), false, true)) },
  { name: "base64.is_valid", arity: 1, fn: isValidWith((s) => decodeBase64(s, false, true)) },
  { name: "base64url.encode", arity: 1, fn: (a) => utf8(str(a, 0)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_") },
  { name: "base64url.encode_no_pad", arity: 1, fn: (a) => utf8(str(a, 0)).toString("base64url") },
  {
    name: "base64url.decode",
    arity: 1,
    fn: (a) => {
      const s = str(a, 0);
      return bytesToString(decodeBase64(s, true, s.length % 4 === 0));
    },
  },
  { name: "hex.encode", arity: 1, fn: (a) => utf8(str(a, 0)).toString("hex") },
  { name: "hex.decode", arity: 1, fn: (a) => hexDecode(str(a, 0)) },
  { name: "urlquery.encode", arity: 1, fn: (a) => queryEscape(str(a, 0)) },
  { name: "urlquery.decode", arity: 1, fn: (a) => queryUnescape(str(a, 0)) },
  { name: "urlquery.encode_object", arity: 1, fn: encodeObject },
  { name: "urlquery.decode_object", arity: 1, fn: decodeObject },
];
