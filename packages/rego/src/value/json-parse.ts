import { RArray, RObject } from "./collections.js";
import { RNumber } from "./number.js";
import { ShapeTree } from "./shapes.js";
import type { Value } from "./types.js";
import { internalize } from "./internalize.js";

/** Thrown by {@link fromJSONText} for malformed JSON; the message names the problem and offset. */
export class JSONSyntaxError extends SyntaxError {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "JSONSyntaxError";
    this.offset = offset;
  }
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** V8 returns slices of at least this many characters as views into the parent string. */
const SLICE_MIN = 13;

class Parser {
  pos = 0;
  /** Objects with the same keys share one key index (see ShapeTree). */
  private readonly shapes = new ShapeTree();
  constructor(private readonly s: string) {}

  fail(what: string): never {
    const at = this.pos < this.s.length ? `at offset ${this.pos}` : "at end of input";
    throw new JSONSyntaxError(`invalid JSON: ${what} ${at}`, this.pos);
  }

  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  value(): Value {
    this.ws();
    const c = this.s[this.pos];
    switch (c) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.word("true", true);
      case "f":
        return this.word("false", false);
      case "n":
        return this.word("null", null);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
        return this.fail(c === undefined ? "unexpected end" : `unexpected character ${JSON.stringify(c)}`);
    }
  }

  word(w: string, v: Value): Value {
    if (!this.s.startsWith(w, this.pos)) this.fail("invalid literal");
    this.pos += w.length;
    return v;
  }

  number(): RNumber {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.s);
    if (!m) this.fail("invalid number");
    this.pos += m[0].length;
    return RNumber.fromString(m[0]);
  }

  /** A string token's value; a long one as a copy of its own (see {@link internalize}). */
  string(): string {
    const s = this.s;
    this.pos++;
    let out = "";
    let start = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(this.pos);
      if (c === 34) break;
      if (c < 0x20) this.fail("control character in string");
      if (c === 92) {
        out += s.slice(start, this.pos);
        const e = s[this.pos + 1] ?? "";
        if (e === "u") {
          const hex = s.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid unicode escape");
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else {
          const r = ESCAPES[e];
          if (r === undefined) this.fail("invalid escape");
          out += r;
          this.pos += 2;
        }
        start = this.pos;
      } else {
        this.pos++;
      }
    }
    out += s.slice(start, this.pos);
    this.pos++;
    return out.length >= SLICE_MIN ? internalize(out) : out;
  }

  array(): RArray {
    this.pos++;
    const items: Value[] = [];
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return new RArray(items);
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") return new RArray(items);
      if (c !== ",") {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  object(): RObject {
    this.pos++;
    this.ws();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return RObject.empty;
    }
    const keys: string[] = [];
    const vals: Value[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail("expected string key");
      keys.push(this.string());
      this.ws();
      if (this.s[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      vals.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") return this.shapes.object(keys, vals);
      if (c !== ",") {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
    }
  }
}

/**
 * Parses JSON text into a Value without losing number precision (unlike `JSON.parse`).
 * Throws {@link JSONSyntaxError} on malformed input.
 *
 * @example fromJSONText('{"n": 18446744073709551617}')
 */
export function fromJSONText(text: string): Value {
  const p = new Parser(text);
  const v = p.value();
  p.ws();
  if (p.pos < text.length) p.fail("unexpected trailing data");
  return v;
}
