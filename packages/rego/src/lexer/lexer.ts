import { RegoError } from "../errors.js";
import { internalize } from "../value/internalize.js";
import type { Token, TemplatePart } from "./token.js";

const OPS2 = [":=", "==", "!=", "<=", ">="];
const OPS1 = "=<>+-*/%|&()[]{}.,;:";

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/**
 * Splits Rego source into tokens. Newlines are not tokens: each token records whether one
 * precedes it, because the parser needs that to separate body literals.
 */
export function tokenize(src: string, file: string, startRow = 1, startCol = 1): Token[] {
  const out: Token[] = [];
  let i = 0;
  let row = startRow;
  let col = startCol;
  let nl = false;
  let ws = false;
  const fail = (msg: string, r = row, c = col): never => {
    throw RegoError.of("rego_parse_error", msg, { file, row: r, col: c });
  };
  const adv = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (src[i] === "\n") { row++; col = 1; } else col++;
      i++;
    }
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") { nl = true; ws = true; adv(1); continue; }
    if (c === " " || c === "\t" || c === "\r") { ws = true; adv(1); continue; }
    if (c === "#") { while (i < src.length && src[i] !== "\n") adv(1); continue; }
    const r = row, cl = col;
    // One object shape for every token (no spread): the parser reads them in hot loops.
    const push = (t: { kind: Token["kind"]; text: string; parts?: Token["parts"]; raw?: boolean }): void => {
      const tok: Token = { kind: t.kind, text: t.text, row: r, col: cl, nl, ws };
      if (t.parts !== undefined) tok.parts = t.parts;
      if (t.raw !== undefined) tok.raw = t.raw;
      out.push(tok);
      nl = false;
      ws = false;
    };
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < src.length && (isIdentStart(src[j]!) || isDigit(src[j]!))) j++;
      const text = src.slice(i, j);
      adv(j - i);
      push({ kind: "ident", text: internalize(text) });
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(src[i + 1] ?? ""))) {
      let j = i;
      while (j < src.length && isDigit(src[j]!)) j++;
      if (src[j] === "." && isDigit(src[j + 1] ?? "")) { j++; while (j < src.length && isDigit(src[j]!)) j++; }
      if (src[j] === "e" || src[j] === "E") {
        let k = j + 1;
        if (src[k] === "+" || src[k] === "-") k++;
        if (isDigit(src[k] ?? "")) { j = k; while (j < src.length && isDigit(src[j]!)) j++; }
      }
      const text = src.slice(i, j);
      adv(j - i);
      push({ kind: "number", text });
      continue;
    }
    if (c === '"') {
      const { value, end } = readString(src, i + 1, '"', false, fail);
      adv(end + 1 - i);
      push({ kind: "string", text: internalize(value) });
      continue;
    }
    if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) fail("non-terminated raw string");
      const text = src.slice(i + 1, end);
      adv(end + 1 - i);
      push({ kind: "string", text, raw: true });
      continue;
    }
    if (c === "$" && (src[i + 1] === '"' || src[i + 1] === "`")) {
      const { parts, end } = readTemplate(src, i + 2, src[i + 1]!, row, col + 2, fail);
      adv(end - i);
      push({ kind: "template", text: "", parts, raw: src[i + 1] === "`" });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (OPS2.includes(two)) { adv(2); push({ kind: "op", text: two }); continue; }
    if (OPS1.includes(c)) { adv(1); push({ kind: "op", text: c }); continue; }
    fail(`illegal token '${c}'`);
  }
  out.push({ kind: "eof", text: "", row, col, nl: true, ws: true });
  return out;
}

type Fail = (msg: string, r?: number, c?: number) => never;

/** Reads a JSON-escaped string body starting after the opening quote. */
function readString(src: string, start: number, quote: string, template: boolean, fail: Fail): { value: string; end: number } {
  let i = start;
  let out = "";
  while (true) {
    if (i >= src.length) fail("non-terminated string");
    const c = src[i]!;
    if (c === quote) return { value: out, end: i };
    if (c === "\n") fail("non-terminated string");
    if (template && c === "{") return { value: out, end: i };
    if (c === "\\") {
      const e = src[i + 1];
      switch (e) {
        case '"': out += '"'; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "{": if (template) { out += "{"; break; } fail("illegal escape sequence in string"); break;
        case "u": {
          const hex = src.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("illegal unicode escape in string");
          let code = parseInt(hex, 16);
          i += 4;
          // Combine UTF-16 surrogate pairs written as two escapes.
          if (code >= 0xd800 && code < 0xdc00 && src[i + 2] === "\\" && src[i + 3] === "u") {
            const lo = parseInt(src.slice(i + 4, i + 8), 16);
            if (lo >= 0xdc00 && lo < 0xe000) { code = 0x10000 + ((code - 0xd800) << 10) + (lo - 0xdc00); i += 6; }
          }
          out += String.fromCodePoint(code);
          break;
        }
        default: fail("illegal escape sequence in string");
      }
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
}

/** Reads an interpolated string: literal parts and `{expr}` sources with their positions. */
function readTemplate(src: string, start: number, quote: string, row0: number, col0: number, fail: Fail): { parts: TemplatePart[]; end: number } {
  const parts: TemplatePart[] = [];
  let i = start;
  let row = row0, col = col0;
  const track = (from: number, to: number): void => {
    for (let k = from; k < to; k++) { if (src[k] === "\n") { row++; col = 1; } else col++; }
  };
  while (true) {
    if (i >= src.length) fail("non-terminated string");
    let text: string;
    let end: number;
    if (quote === "`") {
      let j = i;
      text = "";
      while (j < src.length && src[j] !== "`" && src[j] !== "{") {
        if (src[j] === "\\" && src[j + 1] === "{") { text += "{"; j += 2; continue; }
        text += src[j]; j++;
      }
      if (j >= src.length) fail("non-terminated string");
      end = j;
    } else {
      ({ value: text, end } = readString(src, i, quote, true, fail));
    }
    if (text) parts.push({ text });
    track(i, end);
    i = end;
    if (src[i] === quote) return { parts, end: i + 1 };
    // src[i] === "{": find the matching brace, skipping strings inside the expression.
    let depth = 0;
    let j = i;
    for (; j < src.length; j++) {
      const ch = src[j]!;
      if (ch === '"') { j = readString(src, j + 1, '"', false, fail).end; continue; }
      if (ch === "`") { j = src.indexOf("`", j + 1); if (j < 0) fail("non-terminated string"); continue; }
      if (ch === "{") depth++;
      else if (ch === "}") { depth--; if (depth === 0) break; }
    }
    if (j >= src.length) fail("non-terminated string");
    parts.push({ expr: src.slice(i + 1, j), row, col: col + 1 });
    track(i, j + 1);
    i = j + 1;
  }
}
