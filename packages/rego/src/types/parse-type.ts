import { T_ANY, T_BOOL, T_NULL, T_NUM, T_STR, anyOf, arrayOf, objectOf, setOf } from "./types.js";
import type { FunctionType, Named, Type } from "./types.js";

/**
 * Reads a type written the way OPA prints it (`any<string, array[any]>`, `object[string: any]`,
 * `array<number, string>`), so builtin declarations read like OPA's error messages.
 */
export function parseType(text: string): Type {
  const p = new TypeReader(text);
  const t = p.type();
  p.end();
  return t;
}

/**
 * Reads a declaration `(name: type, ...) => name: type`; `...type` as the last argument makes
 * the function variadic, and a missing `=> ...` means it has no result.
 *
 * @example
 * parseDecl("(x: string, delimiter: string) => ys: array[string]")
 */
export function parseDecl(text: string): FunctionType {
  const arrow = text.lastIndexOf(") => ");
  const argsText = arrow >= 0 ? text.slice(1, arrow) : text.slice(1, -1);
  const resultText = arrow >= 0 ? text.slice(arrow + 5) : undefined;
  const args: Named[] = [];
  let variadic: Type | undefined;
  for (const part of splitTop(argsText)) {
    if (part.startsWith("...")) variadic = parseType(part.slice(3));
    else args.push(parseNamed(part));
  }
  return { k: "fn", args, result: resultText ? parseNamed(resultText) : undefined, ...(variadic ? { variadic } : {}) };
}

function parseNamed(text: string): Named {
  const m = /^([A-Za-z_][A-Za-z0-9_ ]*): (.*)$/.exec(text.trim());
  return m ? { name: m[1]!, type: parseType(m[2]!) } : { type: parseType(text.trim()) };
}

/** Splits at commas outside brackets. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === "[" || c === "(") depth++;
    else if (c === ">" || c === "]" || c === ")") depth--;
    else if (c === "," && depth === 0) { out.push(text.slice(start, i).trim()); start = i + 1; }
  }
  if (text.trim()) out.push(text.slice(start).trim());
  return out;
}

class TypeReader {
  private i = 0;
  constructor(private readonly s: string) {}

  end(): void { if (this.i !== this.s.length) throw new Error(`bad type ${this.s} at ${this.i}`); }

  private eat(tok: string): boolean {
    while (this.s[this.i] === " ") this.i++;
    if (this.s.startsWith(tok, this.i)) { this.i += tok.length; return true; }
    return false;
  }

  private word(): string {
    while (this.s[this.i] === " ") this.i++;
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`bad type ${this.s} at ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }

  private list(close: string, item: () => void): void {
    do item(); while (this.eat(","));
    if (!this.eat(close)) throw new Error(`bad type ${this.s}: expected ${close}`);
  }

  type(): Type {
    const w = this.word();
    switch (w) {
      case "null": return T_NULL;
      case "boolean": return T_BOOL;
      case "number": return T_NUM;
      case "string": return T_STR;
      case "any": {
        if (!this.eat("<")) return T_ANY;
        const of: Type[] = [];
        this.list(">", () => of.push(this.type()));
        return anyOf(of);
      }
      case "set": {
        if (!this.eat("[")) throw new Error(`bad type ${this.s}: set needs [type]`);
        const of = this.type();
        this.eat("]");
        return setOf(of);
      }
      case "array": {
        const statics: Type[] = [];
        if (this.eat("<")) this.list(">", () => statics.push(this.type()));
        let dynamic: Type | undefined;
        if (this.eat("[")) { dynamic = this.type(); this.eat("]"); }
        return arrayOf(dynamic, statics);
      }
      case "object": {
        const statics: [string, Type][] = [];
        if (this.eat("<")) this.list(">", () => { const k = this.word(); this.eat(":"); statics.push([k, this.type()]); });
        let dynamic: { key: Type; value: Type } | undefined;
        if (this.eat("[")) { const key = this.type(); this.eat(":"); const value = this.type(); this.eat("]"); dynamic = { key, value }; }
        return objectOf(statics, dynamic);
      }
      default: throw new Error(`bad type ${this.s}: unknown ${w}`);
    }
  }
}
