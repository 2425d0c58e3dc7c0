import { RArray, RObject } from "./collections.js";
import { RNumber } from "./number.js";
import { ShapeTree } from "./shapes.js";
import type { Shape } from "./shapes.js";
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
/** Most slots of the parser's cache of short string values (a power of two). */
const RECENT_MAX = 4096;

class Parser {
  pos = 0;
  /** Objects with the same keys share one key index (see ShapeTree). */
  private readonly shapes = new ShapeTree();
  /** Whether the last string token had no escape (its text is its value). */
  private plain = false;
  /** Short string values met lately, by a hash of their text (see `string`). */
  private readonly recent: (string | undefined)[];
  /** `recent.length - 1`: about one slot per 32 characters of text, 16 to RECENT_MAX. */
  private readonly recentMask: number;
  constructor(private readonly s: string) {
    let size = 16;
    while (size < RECENT_MAX && size * 32 < s.length) size *= 2;
    this.recent = new Array<string | undefined>(size);
    this.recentMask = size - 1;
  }

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
    // Plain integers of up to 15 digits (ports, counts, sizes) are read in place: no match
    // array, no text slice, and the small ones are shared (`RNumber.fromInt`). Their text is
    // their canonical form, so they print as written. "-0" keeps the general path (and its text).
    const s = this.s;
    const neg = s.charCodeAt(this.pos) === 45;
    const first = neg ? this.pos + 1 : this.pos;
    let i = first;
    let v = 0;
    for (; i < s.length && i - first < 16; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    const n = i - first;
    const next = s.charCodeAt(i);
    if (n > 0 && n <= 15 && (n === 1 || s.charCodeAt(first) !== 48) && !(neg && v === 0) &&
      next !== 46 && next !== 101 && next !== 69 && !(next >= 48 && next <= 57)) {
      this.pos = i;
      return RNumber.fromInt(neg ? -v : v);
    }
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
    let escaped = false;
    for (;;) {
      if (this.pos >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(this.pos);
      if (c === 34) break;
      if (c < 0x20) this.fail("control character in string");
      if (c === 92) {
        escaped = true;
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
    this.plain = !escaped;
    const end = this.pos++;
    const len = end - start;
    if (!escaped && len < SLICE_MIN) {
      // Short values repeat ("create", "prod", "t3.micro"): one copy each keeps the document
      // small (V8's JSON.parse shares short values likewise), so more of it stays in the CPU
      // caches while policies walk it. A direct-mapped cache, hashed from the text in place: a
      // hit costs no slice at all; a collision only means one more copy.
      const h = (len * 31 + s.charCodeAt(start) * 7 + s.charCodeAt(start + (len >> 1)) * 131 + s.charCodeAt(end - 1) * 1031) & this.recentMask;
      const seen = this.recent[h];
      if (seen !== undefined && seen.length === len && s.startsWith(seen, start)) return seen;
      const v = s.slice(start, end);
      this.recent[h] = v;
      return v;
    }
    out += s.slice(start, end);
    return out.length >= SLICE_MIN ? internalize(out) : out;
  }

  /**
   * Members parsed so far of the arrays and objects being parsed (nested ones above their
   * parent's), and the keys of the objects: each array or object takes an exact-size copy of
   * its own at its end. Arrays grown by `push` keep room for 16 more elements (~130 bytes per
   * small array), which made a parsed plan ~3.5x the size of `JSON.parse`'s: every new
   * document then cost more cache misses and young-generation copying during evaluation.
   */
  private readonly stack: Value[] = [];
  private top = 0;
  private readonly keyStack: string[] = [];
  private keyTop = 0;

  /**
   * An object key at the opening quote. Objects of one document mostly repeat their key
   * sequences: when the key the shape was last extended by is the text here, it is taken as is
   * (already internalized), without slicing the key out of the text.
   */
  key(shape: Shape | undefined): string {
    const hint = shape?.hint?.plainKey;
    if (hint !== undefined) {
      const s = this.s;
      const end = this.pos + 1 + hint.length;
      if (s.charCodeAt(end) === 34 && s.startsWith(hint, this.pos + 1)) {
        this.pos = end + 1;
        return hint;
      }
    }
    return this.string();
  }

  /**
   * An object member's value. A string equal to the last one at the same key sequence
   * ("mode": "managed", the provider name) is matched in place and shared, not sliced (and, when
   * long, not internalized again).
   */
  member(shape: Shape | undefined): Value {
    this.ws();
    const hint = shape?.lastValue;
    if (hint !== undefined) {
      const s = this.s;
      const end = this.pos + 1 + hint.length;
      if (s.charCodeAt(this.pos) === 34 && s.charCodeAt(end) === 34 && s.startsWith(hint, this.pos + 1)) {
        this.pos = end + 1;
        return hint;
      }
    }
    const v = this.value();
    if (shape && typeof v === "string" && this.plain) shape.lastValue = v;
    return v;
  }

  array(): RArray {
    this.pos++;
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return new RArray([]);
    }
    const base = this.top;
    for (;;) {
      const v = this.value();
      this.stack[this.top++] = v;
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") {
        const items = this.stack.slice(base, this.top);
        this.top = base;
        return new RArray(items);
      }
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
    const base = this.top;
    const keyBase = this.keyTop;
    // The object's key sequence so far; undefined once a key repeats.
    let shape: Shape | undefined = this.shapes.root;
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail("expected string key");
      const k = this.key(shape);
      this.keyStack[this.keyTop++] = k;
      if (shape) shape = this.shapes.extend(shape, k);
      this.ws();
      if (this.s[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      const v = this.member(shape);
      this.stack[this.top++] = v;
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") {
        const vals = this.stack.slice(base, this.top);
        this.top = base;
        if (shape) {
          this.keyTop = keyBase;
          return this.shapes.objectOf(shape, vals);
        }
        const keys = this.keyStack.slice(keyBase, this.keyTop);
        this.keyTop = keyBase;
        return RObject.from(keys.map((key, j) => [key, vals[j]!] as [Value, Value]));
      }
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
