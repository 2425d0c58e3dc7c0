import { RNumber } from "../value/index.js";
import { RegoError } from "../errors.js";
import type { Location, RegoErrorDetail } from "../errors.js";
import { tokenize } from "../lexer/lexer.js";
import type { Token } from "../lexer/token.js";
import type { Body, Expr, Term, VarTerm, WithModifier } from "../ast/types.js";

const INFIX_LEVELS: readonly (readonly string[])[] = [
  ["==", "!=", "<", "<=", ">", ">="],
  ["|"],
  ["&"],
  ["+", "-"],
  ["*", "/", "%"],
];

/** Builtin names of the infix operators, as OPA names them. */
export const INFIX_BUILTINS: Readonly<Record<string, string>> = {
  "==": "equal", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte",
  "|": "or", "&": "and", "+": "plus", "-": "minus", "*": "mul", "/": "div", "%": "rem",
};

let wildcardCounter = 0;

/** Which future keywords are active for the text being parsed. */
export interface KeywordSet { if: boolean; contains: boolean; in: boolean; every: boolean }

/**
 * Recursive-descent parser for terms and bodies; module structure lives in module-parser.ts.
 * Newlines end a literal only at nesting depth zero of a body, as in OPA.
 */
export class TermParser {
  protected pos = 0;
  protected depth = 0;
  /** Depth at which `|` separates a comprehension head from its body instead of meaning union. */
  private barDepth = -1;
  readonly errors: RegoErrorDetail[] = [];

  constructor(
    protected toks: Token[],
    readonly file: string,
    public kw: KeywordSet,
  ) {}

  protected get tok(): Token { return this.toks[this.pos]!; }
  protected peek(n = 1): Token { return this.toks[Math.min(this.pos + n, this.toks.length - 1)]!; }
  protected loc(t: Token = this.tok): Location { return { file: this.file, row: t.row, col: t.col }; }
  protected next(): Token { const t = this.tok; if (t.kind !== "eof") this.pos++; return t; }

  protected fail(msg: string, t: Token = this.tok): never {
    throw RegoError.of("rego_parse_error", msg, this.loc(t));
  }
  protected unexpected(t: Token = this.tok): never {
    if (t.kind === "eof") this.fail("unexpected eof token", t);
    const what = t.kind === "op" ? t.text : t.kind === "ident" ? (this.isKeyword(t) ? t.text : "ident") : t.kind;
    this.fail(`unexpected ${what} token`, t);
  }

  protected isOp(text: string, t: Token = this.tok): boolean { return t.kind === "op" && t.text === text; }
  protected expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`expected ${text}${this.tok.kind === "eof" ? " but got eof" : ""}`);
    return this.next();
  }
  /** True when the current token stops the literal because a newline precedes it. */
  protected atLineBreak(): boolean { return this.depth === 0 && this.tok.nl; }

  protected isKeyword(t: Token): boolean {
    switch (t.text) {
      case "not": case "with": case "as": case "some": case "default": case "else": case "package": case "import":
        return true;
      case "if": return this.kw.if;
      case "contains": return this.kw.contains;
      case "in": return this.kw.in;
      case "every": return this.kw.every;
      default: return false;
    }
  }
  /** A keyword spelled as the head of a ref (`as.foo`) is a name, not a keyword. */
  protected isKw(text: string, t: Token = this.tok): boolean {
    if (t.kind !== "ident" || t.text !== text || !this.isKeyword(t)) return false;
    const n = t === this.tok ? this.peek() : this.toks[this.toks.indexOf(t) + 1];
    return !(n && n.kind === "op" && n.text === "." && !n.ws);
  }

  freshWildcard(loc: Location): VarTerm {
    return { type: "var", name: `$_${++wildcardCounter}`, loc };
  }

  /** Parses a body: literals separated by `;` or newlines, until `end` (not consumed). */
  parseBody(end: string): Body {
    const saved = this.depth;
    this.depth = 0;
    const body: Body = [];
    while (true) {
      while (this.isOp(";")) this.next();
      if (this.isOp(end) || this.tok.kind === "eof") break;
      body.push(this.parseLiteral());
      if (this.isOp(";") || this.isOp(end) || this.tok.nl) continue;
      this.unexpected();
    }
    this.depth = saved;
    if (body.length === 0 && end === "}") this.fail("found empty body");
    return body;
  }

  parseLiteral(): Expr {
    const start = this.tok;
    const loc = this.loc();
    if (this.isKw("some")) {
      this.next();
      const terms: Term[] = [this.parseTermNoIn()];
      while (this.isOp(",")) { this.next(); terms.push(this.parseTermNoIn()); }
      if (this.kw.in && this.isKw("in")) {
        this.next();
        const domain = this.parseInfix(0);
        if (terms.length > 2) this.fail("unexpected , token: expected at most two terms before in", start);
        return this.withMods({ kind: "somein", key: terms.length === 2 ? terms[0] : undefined, value: terms[terms.length - 1]!, domain, negated: false, withs: [], loc });
      }
      for (const t of terms) if (t.type !== "var") this.fail("expected var in some declaration", start);
      return { kind: "some", vars: terms as VarTerm[], negated: false, withs: [], loc };
    }
    if (this.kw.every && this.isKw("every")) {
      this.next();
      const first = this.parseTermNoIn();
      let key: Term | undefined;
      let value = first;
      if (this.isOp(",")) { this.next(); key = first; value = this.parseTermNoIn(); }
      if (!this.isKw("in")) this.fail("expected in after every variables");
      this.next();
      const domain = this.parseInfix(0);
      this.expectOp("{");
      const body = this.parseBody("}");
      this.expectOp("}");
      return this.withMods({ kind: "every", key, value, domain, body, negated: false, withs: [], loc });
    }
    let negated = false;
    if (this.isKw("not")) { this.next(); negated = true; }
    let left = this.parseExprTerm();
    if (this.depth === 0) left = this.maybeMember3(left);
    let expr: Expr;
    if ((this.isOp("=") || this.isOp(":=")) && !this.atLineBreak()) {
      const op = this.next().text as "=" | ":=";
      let right = this.parseExprTerm();
      if (this.depth === 0) right = this.maybeMember3(right);
      expr = { kind: "unify", op, left, right, negated, withs: [], loc };
    } else {
      expr = { kind: "term", term: left, negated, withs: [], loc };
    }
    return this.withMods(expr);
  }

  private withMods(expr: Expr): Expr {
    const withs: WithModifier[] = [];
    while (this.isKw("with")) {
      const loc = this.loc();
      this.next();
      const target = this.parsePrimary();
      if (!this.isKw("as")) this.fail("expected as after with target");
      this.next();
      const value = this.parseInfix(0);
      withs.push({ target, value, loc });
    }
    expr.withs = withs;
    return expr;
  }

  /** A term including `in` membership (the loosest term operator). */
  parseExprTerm(): Term {
    return this.continueIn(this.parseInfix(0));
  }

  /** `k, v in collection` (after `k` was parsed): membership of a key/value pair. */
  private maybeMember3(key: Term): Term {
    if (!this.kw.in || !this.isOp(",")) return key;
    this.next();
    const value = this.parseInfix(0);
    if (!this.isKw("in")) this.unexpected();
    const t = this.next();
    const coll = this.parseInfix(0);
    const call: Term = { type: "call", op: "internal.member_3", opRef: this.nameRef("internal.member_3", this.loc(t)), args: [key, value, coll], loc: key.loc };
    return this.continueIn(call);
  }

  private continueIn(first: Term): Term {
    let left = first;
    while (this.kw.in && this.isKw("in") && !this.atLineBreak()) {
      const t = this.next();
      const right = this.parseInfix(0);
      left = { type: "call", op: "internal.member_2", opRef: this.nameRef("internal.member_2", this.loc(t)), args: [left, right], loc: left.loc };
    }
    return left;
  }

  /** A term that may be a comprehension head, where a bare `|` starts the body. */
  private parseHeadTerm(): Term {
    const saved = this.barDepth;
    this.barDepth = this.depth;
    try { return this.parseExprTerm(); } finally { this.barDepth = saved; }
  }

  protected parseTermNoIn(): Term { return this.parseInfix(0); }

  protected nameRef(name: string, loc: Location): Term {
    const parts = name.split(".");
    const head: VarTerm = { type: "var", name: parts[0]!, loc };
    if (parts.length === 1) return head;
    return { type: "ref", head, path: parts.slice(1).map((p) => ({ type: "scalar", value: p, loc })), loc };
  }

  parseInfix(level: number): Term {
    if (level >= INFIX_LEVELS.length) return this.parseUnary();
    let left = this.parseInfix(level + 1);
    const ops = INFIX_LEVELS[level]!;
    while (this.tok.kind === "op" && ops.includes(this.tok.text) && !this.atLineBreak()) {
      if (this.tok.text === "|" && this.barDepth === this.depth) break;
      const t = this.next();
      const right = this.parseInfix(level + 1);
      const op = INFIX_BUILTINS[t.text]!;
      left = { type: "call", op, opRef: this.nameRef(op, this.loc(t)), args: [left, right], loc: left.loc };
    }
    return left;
  }

  private parseUnary(): Term {
    if (this.isOp("-")) {
      const t = this.next();
      if (this.tok.kind === "number" && !this.tok.ws) {
        const n = this.next();
        return this.parseSuffixes({ type: "scalar", value: RNumber.fromString("-" + n.text), loc: this.loc(t) });
      }
      const operand = this.parseUnary();
      const zero: Term = { type: "scalar", value: RNumber.fromInt(0), loc: this.loc(t) };
      return { type: "call", op: "minus", opRef: this.nameRef("minus", this.loc(t)), args: [zero, operand], loc: this.loc(t) };
    }
    return this.parsePrimary();
  }

  /** A primary term with its ref and call suffixes. */
  parsePrimary(): Term {
    const t = this.tok;
    const loc = this.loc();
    switch (t.kind) {
      case "number":
        this.next();
        return this.parseSuffixes({ type: "scalar", value: RNumber.fromString(t.text), loc });
      case "string":
        this.next();
        return this.parseSuffixes({ type: "scalar", value: t.text, loc });
      case "template":
        this.next();
        return { type: "template", parts: this.templateParts(t), loc };
      case "ident": {
        if ((t.text === "true" || t.text === "false" || t.text === "null") && !(this.isOp(".", this.peek()) && !this.peek().ws)) {
          this.next();
          return { type: "scalar", value: t.text === "null" ? null : t.text === "true", loc };
        }
        if (this.isKeyword(t) && !((this.isOp(".", this.peek()) || this.isOp("(", this.peek())) && !this.peek().ws)) this.unexpected();
        this.next();
        const v: VarTerm = t.text === "_" ? this.freshWildcard(loc) : { type: "var", name: t.text, loc };
        return this.parseSuffixes(v);
      }
      case "op":
        if (t.text === "(") {
          this.next();
          this.depth++;
          const inner = this.maybeMember3(this.parseExprTerm());
          this.depth--;
          this.expectOp(")");
          return this.parseSuffixes(inner);
        }
        if (t.text === "[") return this.parseSuffixes(this.parseArray());
        if (t.text === "{") return this.parseSuffixes(this.parseBrace());
        return this.unexpected();
      default:
        return this.unexpected();
    }
  }

  private templateParts(t: Token): (string | Term)[] {
    const parts: (string | Term)[] = [];
    for (const p of t.parts ?? []) {
      if ("text" in p) { parts.push(p.text); continue; }
      const sub = new TermParser(tokenize(p.expr, this.file, p.row, p.col), this.file, this.kw);
      if (sub.tok.kind === "eof") this.fail("template expression must not be empty", t);
      sub.depth = 1;
      const lit = sub.parseLiteral();
      if (!sub.atEnd) sub.unexpected();
      if (lit.kind === "term" && lit.withs.length === 0 && !lit.negated) { parts.push(lit.term); continue; }
      // An expression with `with` modifiers: evaluate it as the first element of `[v | v = expr]`.
      const loc = lit.loc;
      const v = this.freshWildcard(loc);
      const body: Expr = lit.kind === "term" ? { kind: "unify", op: "=", left: v, right: lit.term, negated: false, withs: lit.withs, loc } : lit;
      const comp: Term = { type: "arraycomp", term: v, body: [body], loc };
      parts.push({ type: "ref", head: comp, path: [{ type: "scalar", value: RNumber.fromInt(0), loc }], loc });
    }
    return parts;
  }

  protected parseSuffixes(base: Term): Term {
    let term = base;
    while (true) {
      const t = this.tok;
      if (t.ws) break;
      if (this.isOp(".") && this.peek().kind === "ident") {
        if (term.type !== "var" && term.type !== "ref" && term.type !== "call") break;
        this.next();
        const name = this.next();
        term = this.appendRef(term, { type: "scalar", value: name.text, loc: this.loc(name) });
        continue;
      }
      if (this.isOp("[")) {
        this.next();
        this.depth++;
        const key = this.parseExprTerm();
        this.depth--;
        this.expectOp("]");
        term = this.appendRef(term, key);
        continue;
      }
      if (this.isOp("(") && (term.type === "var" || (term.type === "ref" && isNameRef(term)))) {
        term = this.parseCall(term);
        continue;
      }
      break;
    }
    return term;
  }

  private appendRef(term: Term, seg: Term): Term {
    if (term.type === "ref") return { ...term, path: [...term.path, seg] };
    return { type: "ref", head: term, path: [seg], loc: term.loc };
  }

  private parseCall(fn: Term): Term {
    this.expectOp("(");
    this.depth++;
    const args: Term[] = [];
    while (!this.isOp(")")) {
      args.push(this.parseExprTerm());
      if (this.isOp(",")) { this.next(); continue; }
      if (!this.isOp(")")) this.unexpected();
    }
    this.depth--;
    this.next();
    const op = refName(fn);
    if (op === "set" && args.length === 0) return { type: "set", items: [], loc: fn.loc };
    return { type: "call", op, opRef: fn, args, loc: fn.loc };
  }

  private parseArray(): Term {
    const loc = this.loc();
    this.next();
    this.depth++;
    const items: Term[] = [];
    if (this.isOp("]")) { this.depth--; this.next(); return { type: "array", items, loc }; }
    const first = this.parseHeadTerm();
    if (this.isOp("|")) {
      this.next();
      const body = this.parseBody("]");
      this.depth--;
      this.expectOp("]");
      return { type: "arraycomp", term: first, body, loc };
    }
    items.push(first);
    while (this.isOp(",")) {
      this.next();
      if (this.isOp("]")) break;
      items.push(this.parseExprTerm());
    }
    this.depth--;
    this.expectOp("]");
    return { type: "array", items, loc };
  }

  private parseBrace(): Term {
    const loc = this.loc();
    this.next();
    this.depth++;
    if (this.isOp("}")) { this.depth--; this.next(); return { type: "object", entries: [], loc }; }
    const first = this.parseHeadTerm();
    if (this.isOp(":")) {
      this.next();
      const value = this.parseHeadTerm();
      if (this.isOp("|")) {
        this.next();
        const body = this.parseBody("}");
        this.depth--;
        this.expectOp("}");
        return { type: "objectcomp", key: first, value, body, loc };
      }
      const entries: [Term, Term][] = [[first, value]];
      while (this.isOp(",")) {
        this.next();
        if (this.isOp("}")) break;
        const k = this.parseExprTerm();
        this.expectOp(":");
        entries.push([k, this.parseExprTerm()]);
      }
      this.depth--;
      this.expectOp("}");
      return { type: "object", entries, loc };
    }
    if (this.isOp("|")) {
      this.next();
      const body = this.parseBody("}");
      this.depth--;
      this.expectOp("}");
      return { type: "setcomp", term: first, body, loc };
    }
    const items: Term[] = [first];
    while (this.isOp(",")) {
      this.next();
      if (this.isOp("}")) break;
      items.push(this.parseExprTerm());
    }
    this.depth--;
    this.expectOp("}");
    return { type: "set", items, loc };
  }

  get atEnd(): boolean { return this.tok.kind === "eof"; }
}

/** Whether a ref is a plain dotted name (`a.b.c`), usable as a function name. */
export function isNameRef(t: Term): boolean {
  if (t.type === "var") return true;
  if (t.type !== "ref" || t.head.type !== "var") return false;
  return t.path.every((p) => p.type === "scalar" && typeof p.value === "string");
}

/** The dotted spelling of a name ref (`data.a.b`); other segments print in brackets. */
export function refName(t: Term): string {
  if (t.type === "var") return t.name;
  if (t.type !== "ref") return "<term>";
  let s = refName(t.head);
  for (const p of t.path) {
    if (p.type === "scalar" && typeof p.value === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value)) s += "." + p.value;
    else if (p.type === "scalar" && typeof p.value === "string") s += `[${JSON.stringify(p.value)}]`;
    else if (p.type === "var") s += `[${p.name}]`;
    else s += "[...]";
  }
  return s;
}
