import type { RSet } from "./collections.js";
import { RArray, RObject } from "./collections.js";
import { RNumber } from "./number.js";
import { compareStrings } from "./order.js";
import type { Value } from "./types.js";

/** Options for {@link writeJSON}, mirroring Go's `json.MarshalIndent` and `SetEscapeHTML`. */
export interface JSONFormat {
  /** Indentation per level; empty for compact output. */
  indent?: string;
  /** Written at the start of every line after the first (Go's prefix). */
  prefix?: string;
  /** Escape `<`, `>` and `&` as Go's `json.Marshal` does (OPA's `json.marshal`). */
  escapeHTML?: boolean;
}

/**
 * Quotes a string as Go's encoding/json does: short escapes for `\b \f \n \r \t \" \\`, `\u00XX`
 * for other control characters, U+2028/U+2029 escaped, and optionally HTML characters.
 */
export function quoteJSON(s: string, escapeHTML = false): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 34 || c === 92) {
      rep =
        c === 34 ? '\\"' : c === 92 ? "\\\\" : c === 10 ? "\\n" : c === 13 ? "\\r" : c === 9 ? "\\t"
          : c === 8 ? "\\b" : c === 12 ? "\\f" : `\\u00${c.toString(16).padStart(2, "0")}`;
    } else if (c === 0x2028 || c === 0x2029) {
      rep = `\\u${c.toString(16)}`;
    } else if (escapeHTML && (c === 60 || c === 62 || c === 38)) {
      rep = `\\u00${c.toString(16)}`;
    } else if (c >= 0xd800 && c < 0xe000) {
      // A lone surrogate is invalid UTF-8 in Go and becomes U+FFFD.
      const hi = c < 0xdc00;
      const next = s.charCodeAt(i + 1);
      if (hi && next >= 0xdc00 && next < 0xe000) {
        i++;
        continue;
      }
      rep = "\ufffd";
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** The JSON object key of a Rego key: strings as they are, other values in Rego syntax. */
export function jsonKey(k: Value): string {
  return typeof k === "string" ? k : toRegoString(k);
}

function write(v: Value, f: JSONFormat, depth: number): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return quoteJSON(v, f.escapeHTML);
  if (v instanceof RNumber) return v.toString();
  const indent = f.indent ?? "";
  let items: string[];
  let open: string;
  let close: string;
  if (v instanceof RObject) {
    const sorted = v.entries();
    let entries: (readonly [string, Value])[];
    if (sorted.every(([k]) => typeof k === "string")) {
      // Already in code point order, which is Go's byte order for JSON keys.
      entries = sorted as [string, Value][];
    } else {
      entries = sorted.map(([k, x]) => [jsonKey(k), x] as const);
      entries.sort((a, b) => compareStrings(a[0], b[0]));
    }
    const sep = indent ? ": " : ":";
    items = entries.map(([k, x]) => quoteJSON(k, f.escapeHTML) + sep + write(x, f, depth + 1));
    open = "{";
    close = "}";
  } else {
    const xs = v instanceof RArray ? v.items : (v as RSet).values();
    items = xs.map((x) => write(x, f, depth + 1));
    open = "[";
    close = "]";
  }
  if (items.length === 0) return open + close;
  if (!indent) return open + items.join(",") + close;
  const nl = "\n" + (f.prefix ?? "");
  const inner = nl + indent.repeat(depth + 1);
  return open + inner + items.join("," + inner) + nl + indent.repeat(depth) + close;
}

/** Writes a value as JSON the way Go's encoding/json does, with full control over layout. */
export function writeJSON(v: Value, f: JSONFormat = {}): string {
  return write(v, f, 0);
}

/**
 * JSON text of a value like OPA prints it: keys sorted, sets as sorted arrays, non-string keys
 * as their Rego text, numbers lossless. `indent` spaces per level (0 or absent: compact).
 *
 * @example toJSONText(RObject.fromRecord({ b: 1, a: true })) // '{"a":true,"b":1}'
 */
export function toJSONText(v: Value, indent?: number): string {
  return write(v, { indent: indent ? " ".repeat(indent) : "" }, 0);
}

/**
 * Rego syntax of a value, as `print`, `sprintf("%v")` and string interpolation show it:
 * `{"a": [1, 2]}`, `{1, 2}`, `set()` for the empty set.
 */
export function toRegoString(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return quoteJSON(v);
  if (v instanceof RNumber) return v.toString();
  if (v instanceof RArray) return `[${v.items.map(toRegoString).join(", ")}]`;
  if (v instanceof RObject) return `{${v.entries().map(([k, x]) => `${toRegoString(k)}: ${toRegoString(x)}`).join(", ")}}`;
  if (v.size === 0) return "set()";
  return `{${v.values().map(toRegoString).join(", ")}}`;
}
