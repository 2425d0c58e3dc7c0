import { RegoError } from "../errors.js";
import type { RegoErrorDetail } from "../errors.js";
import { tokenize } from "../lexer/lexer.js";
import type { Body, Import, Module, Rule, Term } from "../ast/types.js";
import { TermParser, refName } from "./parser.js";
import type { KeywordSet } from "./parser.js";

const ALL_KEYWORDS: KeywordSet = { if: true, contains: true, in: true, every: true };
const NO_KEYWORDS: KeywordSet = { if: false, contains: false, in: false, every: false };

/** Parses modules: package, imports and rules, recovering at rule boundaries to report several errors. */
class ModuleParser extends TermParser {
  private regoV1Import = false;

  constructor(src: string, file: string, private version: 0 | 1) {
    super(tokenize(src, file), file, version === 1 ? { ...ALL_KEYWORDS } : { ...NO_KEYWORDS });
  }

  parse(): Module {
    if (!this.isKw("package")) {
      if (this.atEnd) this.fail("empty module");
      this.fail("package expected");
    }
    const pkgLoc = this.loc();
    this.next();
    const pkgRef = this.parsePrimary();
    const pkg = refPath(pkgRef);
    if (!pkg) this.fail("package must be a ref of strings", this.toks[this.pos - 1]);
    const module: Module = { file: this.file, regoVersion: this.version, package: pkg, packageLoc: pkgLoc, imports: [], rules: [] };
    while (this.isKw("import")) {
      const loc = this.loc();
      this.next();
      const path = this.parsePrimary();
      let alias: string | undefined;
      if (this.isKw("as")) { this.next(); const a = this.next(); if (a.kind !== "ident") this.unexpected(a); alias = a.text; }
      this.applyFutureImport(refName(path));
      module.imports.push({ path, alias, loc } satisfies Import);
    }
    while (!this.atEnd) {
      try {
        module.rules.push(...this.parseRule(module));
        if (!this.atEnd && !this.tok.nl) this.unexpected();
      } catch (e) {
        if (!(e instanceof RegoError)) throw e;
        this.errors.push(...e.errors);
        this.skipToNextRule();
      }
    }
    if (this.errors.length > 0) throw new RegoError(this.errors);
    return module;
  }

  private applyFutureImport(name: string): void {
    if (name === "rego.v1") this.regoV1Import = true;
    if (name === "rego.v1" || name === "future.keywords") { this.kw = { ...ALL_KEYWORDS }; return; }
    const m = /^future\.keywords\.(if|contains|in|every)$/.exec(name);
    if (m) {
      this.kw = { ...this.kw, [m[1]!]: true };
      if (m[1] === "every") this.kw.in = true;
    }
  }

  private skipToNextRule(): void {
    this.next();
    while (!this.atEnd && !(this.tok.nl && this.tok.col === 1 && this.tok.kind === "ident")) this.next();
  }

  private lastHeadBracket = false;

  private parseRule(module: Module): Rule[] {
    const start = this.tok;
    const loc = this.loc();
    let isDefault = false;
    if (this.isKw("default")) { this.next(); isDefault = true; }
    if (this.tok.kind !== "ident") this.unexpected();
    const head = this.parseHeadRef();
    let args: Term[] | undefined;
    if (this.isOp("(")) {
      this.next();
      this.depth++;
      args = [];
      while (!this.isOp(")")) {
        args.push(this.parseExprTerm());
        if (this.isOp(",")) this.next();
        else if (!this.isOp(")")) this.unexpected();
      }
      this.depth--;
      this.next();
    }
    let kind: Rule["kind"] = args ? "function" : "complete";
    let path = head;
    let key: Term | undefined;
    let value: Term | undefined;
    let assign = false;
    if (this.kw.contains && this.isKw("contains")) {
      this.next();
      key = this.parseExprTerm();
      kind = "set";
    } else if (this.isOp("=") || this.isOp(":=")) {
      assign = this.next().text === ":=";
      value = this.parseExprTerm();
    }
    const last = path[path.length - 1]!;
    // v0 `p[x]` with no value is a partial set (v1 and `p[x] if` make it an object entry).
    if (kind === "complete" && !value && path.length === 2 && this.lastHeadBracket && this.version === 0 && !this.regoV1Import && !(this.kw.if && this.isKw("if"))) {
      kind = "set";
      key = last;
      path = path.slice(0, -1);
    }
    if (isDefault) {
      if (!value) this.fail("default rules must have a value assigned", start);
      if (this.isKw("if") || this.isOp("{")) this.fail("default rules must not have a body", start);
    }
    const trueTerm: Term = { type: "scalar", value: true, loc };
    const rule: Rule = {
      kind, path, args, key, value: value ?? trueTerm, body: [], isDefault, elses: [], assign, loc, endRow: loc.row, module,
    };
    if (!isDefault) {
      rule.body = this.parseRuleBody(kind === "set" ? "contains" : "if", !!value || kind === "set");
      while (this.isKw("else")) {
        const eloc = this.loc();
        this.next();
        let evalue: Term = trueTerm;
        let eassign = false;
        if (this.isOp("=") || this.isOp(":=")) { eassign = this.next().text === ":="; evalue = this.parseExprTerm(); }
        const ebody = this.parseRuleBody("if", true);
        rule.elses.push({ ...rule, value: evalue, body: ebody, elses: [], assign: eassign, loc: eloc, endRow: this.toks[this.pos - 1]!.row });
      }
    }
    rule.endRow = this.toks[Math.max(0, this.pos - 1)]!.row;
    if (this.version === 1 && kind === "set" && !key) this.fail("`contains` keyword is required for partial set rules", start);
    const out = [rule];
    // v0 allows several bodies after one head: `p { a } { b }` is two rules.
    while (this.version === 0 && !isDefault && this.isOp("{") && !this.tok.nl && rule.body.length > 0) {
      const bloc = this.loc();
      this.next();
      const body = this.parseBody("}");
      this.expectOp("}");
      out.push({ ...rule, body, elses: [], loc: bloc, endRow: this.toks[this.pos - 1]!.row });
    }
    return out;
  }

  /** The rule body after the head: `if {...}`, `if literal`, `{...}` (v0) or nothing. */
  private parseRuleBody(_what: string, hasValue: boolean): Body {
    if (this.kw.if && this.isKw("if")) {
      this.next();
      if (this.isOp("{") && !this.looksLikeCollection()) {
        this.next();
        const body = this.parseBody("}");
        this.expectOp("}");
        return body;
      }
      return [this.parseLiteral()];
    }
    if (this.isOp("{") && !this.tok.nl) {
      if (this.version === 1) this.fail("`if` keyword is required before rule body");
      this.next();
      const body = this.parseBody("}");
      this.expectOp("}");
      return body;
    }
    if (!hasValue && this.version === 1 && this.tok.kind !== "eof" && !this.tok.nl) this.unexpected();
    return [];
  }

  /** After `if`, `{` opens a body unless it is clearly an object/set literal used as a literal. */
  private looksLikeCollection(): boolean {
    // `if {k: v | ...}` or `if {"a": 1}...`: a `:` at the top level of the braces means an object.
    let depth = 0;
    for (let i = this.pos; i < this.toks.length; i++) {
      const t = this.toks[i]!;
      if (t.kind === "eof") return false;
      if (i > this.pos && depth === 1 && t.nl) return false;
      if (t.kind !== "op") continue;
      if (t.text === "{" || t.text === "[" || t.text === "(") depth++;
      else if (t.text === "}" || t.text === "]" || t.text === ")") { depth--; if (depth === 0) return false; }
      else if (depth === 1 && (t.text === ";")) return false;
      else if (depth === 1 && t.text === ":") return true;
    }
    return false;
  }

  private parseHeadRef(): Term[] {
    const t = this.next();
    const path: Term[] = [{ type: "scalar", value: t.text, loc: this.loc(t) }];
    this.lastHeadBracket = false;
    while (!this.tok.ws) {
      this.lastHeadBracket = this.isOp("[");
      if (this.isOp(".") && this.peek().kind === "ident") {
        this.next();
        const n = this.next();
        path.push({ type: "scalar", value: n.text, loc: this.loc(n) });
      } else if (this.isOp("[")) {
        this.next();
        this.depth++;
        path.push(this.parseExprTerm());
        this.depth--;
        this.expectOp("]");
      } else break;
    }
    return path;
  }
}

/** The string path of a ref made of names (`data.a.b` -> ["data","a","b"]), or undefined. */
export function refPath(t: Term): string[] | undefined {
  if (t.type === "var") return [t.name];
  if (t.type !== "ref" || t.head.type !== "var") return undefined;
  const out = [t.head.name];
  for (const p of t.path) {
    if (p.type !== "scalar" || typeof p.value !== "string") return undefined;
    out.push(p.value);
  }
  return out;
}

/**
 * Parses one Rego module.
 *
 * @example
 * const m = parseModule("package p\nallow if input.x == 1", "p.rego", 1);
 * m.rules[0].path; // [{ type: "scalar", value: "allow", ... }]
 */
export function parseModule(source: string, file: string, version: 0 | 1): Module {
  return new ModuleParser(source, file, version).parse();
}

/** Parses a query (literals separated by `;` or newlines); all future keywords are enabled. */
export function parseQuery(source: string, file = "query", version: 0 | 1 = 1): Body {
  const p = new TermParser(tokenize(source, file), file, version === 1 ? { ...ALL_KEYWORDS } : { ...ALL_KEYWORDS });
  const body = p.parseBody("");
  if (!p.atEnd) throw RegoError.of("rego_parse_error", "unexpected token in query", { file, row: 1, col: 1 });
  if (body.length === 0) throw RegoError.of("rego_parse_error", "empty query", { file, row: 1, col: 1 });
  return body;
}

/** Parses a single term (e.g. an `input_term` written in Rego syntax). */
export function parseTerm(source: string, file = "term"): Term {
  const p = new TermParser(tokenize(source, file), file, { ...ALL_KEYWORDS });
  const t = p.parseExprTerm();
  if (!p.atEnd) throw RegoError.of("rego_parse_error", "unexpected trailing tokens after term", { file, row: 1, col: 1 });
  return t;
}

export type { RegoErrorDetail };
