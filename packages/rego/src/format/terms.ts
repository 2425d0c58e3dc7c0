import { RNumber } from "../value/index.js";
import type { Body, Expr, Term } from "../ast/types.js";
import type { Location } from "../errors.js";
import type { LineWriter } from "./writer.js";
import type { SourceText } from "./source.js";

/** The infix spelling of the operator builtins (all of arity two). */
export const INFIX: Readonly<Record<string, string>> = {
  equal: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=",
  or: "|", and: "&", plus: "+", minus: "-", mul: "*", div: "/", rem: "%",
};

const KEYWORDS_V1 = new Set(["not", "package", "import", "as", "default", "else", "with", "some", "in", "every", "contains", "if", "true", "false", "null"]);
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where an element of a collection starts, for laying out one line per source line. */
type Element = Term | [Term, Term];
function rowOf(e: Element): number { return Array.isArray(e) ? e[0].loc.row : e.loc.row; }

function isUnion(t: Term): boolean { return t.type === "call" && t.op === "or" && t.args.length === 2; }

/**
 * Writes terms as `opa fmt` does: literals as written, infix operators with nested operations
 * parenthesized, collections on one line or one source line per output line with a trailing
 * comma, comprehensions inline or with an indented body.
 */
export abstract class TermFormatter {
  constructor(protected w: LineWriter, protected src: SourceText) {}

  /** Set while writing the term that is a whole literal (`k, v in xs` needs no parentheses there). */
  protected topLevel = false;

  protected abstract writeExpr(expr: Expr): void;
  protected abstract writeBody(body: Body): void;

  writeTerm(t: Term, nested = false): void {
    this.w.insertComments(t.loc.row);
    if (this.writeUnformatted(t)) return;
    if (t.type !== "call") this.topLevel = false;
    switch (t.type) {
      case "scalar": return this.writeScalar(t.value, t.loc);
      case "var": return this.w.write(this.varName(t.name));
      case "ref": return this.writeRef(t);
      case "array": return this.writeCollection("[", "]", t.items, t.loc, true);
      case "set":
        if (t.items.length === 0) return this.w.write("set()");
        return this.writeCollection("{", "}", t.items, t.loc, true);
      case "object": return this.writeCollection("{", "}", t.entries, t.loc, false);
      case "call": return this.writeCall(t, nested);
      case "arraycomp": return this.writeComprehension("[", "]", undefined, t.term, t.body, t.loc);
      case "setcomp": return this.writeComprehension("{", "}", undefined, t.term, t.body, t.loc);
      case "objectcomp": return this.writeComprehension("{", "}", t.key, t.value, t.body, t.loc);
      case "template": return this.writeTemplate(t.parts);
    }
  }

  /**
   * opa fmt's fallback for a comment inside a one-line structure: a collection or call whose
   * elements share one line, with a comment on a row between its opening line and its closing
   * bracket (`[1, 2,` / `# note` / `]`), is written as it is in the source. Joining it onto one
   * line would move the comment away from what it annotates.
   */
  private writeUnformatted(t: Term): boolean {
    const brackets = t.type === "array" ? "[]" : t.type === "object" || (t.type === "set" && t.items.length > 0) ? "{}"
      : t.type === "call" && !INFIX[t.op] && !t.op.startsWith("internal.member_") ? "()" : undefined;
    if (!brackets) return false;
    const items: Element[] = t.type === "array" || t.type === "set" ? t.items : t.type === "object" ? t.entries : t.type === "call" ? t.args : [];
    const rows = new Set(items.map(rowOf));
    if (rows.size > 1) return false;
    const close = this.src.closingBracket(t.loc, brackets[0]!, brackets[1]!);
    if (!close || !this.w.hasCommentBetween(t.loc.row, close.row)) return false;
    this.topLevel = false;
    this.w.writeRaw(this.src.textFrom(t.loc, close.end), close.row);
    return true;
  }

  protected varName(name: string): string { return name.startsWith("$") ? "_" : name; }

  private writeScalar(v: unknown, loc: Location): void {
    if (typeof v === "string" || v instanceof RNumber) {
      const raw = this.src.literal(loc);
      const c = raw?.[0];
      const fits = typeof v === "string" ? c === '"' || c === "`" : raw !== undefined && c !== '"' && c !== "`";
      if (fits) return this.w.write(raw!);
      return this.w.write(typeof v === "string" ? JSON.stringify(v) : v.toString());
    }
    this.w.write(v === null ? "null" : String(v));
  }

  /** A ref segment: `.name` when it is a plain name not spelled `["..."]` in the source. */
  protected writeSegment(p: Term): void {
    if (p.type === "scalar" && typeof p.value === "string") {
      const quoted = this.src.charAt(p.loc) === '"';
      if (VAR_NAME.test(p.value) && !(KEYWORDS_V1.has(p.value) && quoted)) return this.w.write("." + p.value);
      return this.w.write(`[${JSON.stringify(p.value)}]`);
    }
    if (p.type === "var") return this.w.write(`[${this.varName(p.name)}]`);
    this.w.write("[");
    this.writeTerm(p);
    this.w.write("]");
  }

  private writeRef(t: Extract<Term, { type: "ref" }>): void {
    const parens = t.head.type === "call" && this.src.charAt(t.loc) === "(";
    if (parens) this.w.write("(");
    this.writeTerm(t.head);
    if (parens) this.w.write(")");
    for (const p of t.path) this.writeSegment(p);
  }

  protected writeCall(t: Extract<Term, { type: "call" }>, nested: boolean): void {
    if (t.op === "internal.member_2" && t.args.length === 2) {
      // `in` groups to the left: a membership on the right needs parentheses.
      this.writeTerm(t.args[0]!, true);
      this.w.write(" in ");
      this.writeInOperand(t.args[1]!);
      return;
    }
    if (t.op === "internal.member_3" && t.args.length === 3) {
      // `k, v in xs` reads as two elements inside a collection or argument list: always in
      // parentheses, except as a whole literal.
      const parens = nested || !this.topLevel;
      this.topLevel = false;
      if (parens) this.w.write("(");
      this.writeInOperand(t.args[0]!);
      this.w.write(", ");
      this.writeInOperand(t.args[1]!);
      this.w.write(" in ");
      this.writeInOperand(t.args[2]!);
      if (parens) this.w.write(")");
      return;
    }
    this.topLevel = false;
    const infix = INFIX[t.op];
    if (infix && t.args.length === 2) {
      if (nested) this.w.write("(");
      this.writeTerm(t.args[0]!, true);
      this.w.write(` ${infix} `);
      this.writeTerm(t.args[1]!, true);
      if (nested) this.w.write(")");
      return;
    }
    this.writeCallPlain(t.opRef, t.args, t.loc);
  }

  private writeInOperand(t: Term): void {
    const paren = t.type === "call" && t.op === "internal.member_2";
    if (paren) this.w.write("(");
    this.writeTerm(t, true);
    if (paren) this.w.write(")");
  }

  protected writeCallPlain(opRef: Term, args: Term[], loc: Location): void {
    if (opRef.type === "ref") {
      this.w.write(this.varName((opRef.head as { name?: string }).name ?? ""));
      for (const p of opRef.path) this.writeSegment(p);
    } else this.writeTerm(opRef);
    this.w.write("(");
    this.writeElements(args, loc, false, false);
    this.w.write(")");
  }

  protected writeCollection(open: string, close: string, items: Element[], loc: Location, parenUnions: boolean): void {
    this.w.write(open);
    this.writeElements(items, loc, parenUnions);
    this.w.write(close);
  }

  /** Elements grouped by source line: one line when they shared one, else a line per group. */
  protected writeElements(items: Element[], loc: Location, parenUnions: boolean, openerSpans = true): void {
    if (items.length === 0) return;
    const lines: Element[][] = [];
    let prev = loc.row;
    for (const e of items) {
      if (lines.length === 0 || rowOf(e) > prev) lines.push([]);
      lines[lines.length - 1]!.push(e);
      prev = rowOf(e);
    }
    // A first element below the opener makes the layout multi-line too, except in calls, where
    // opa fmt measures from the function name alone.
    const multiline = lines.length > 1 || (openerSpans && rowOf(items[0]!) > loc.row);
    if (multiline) {
      this.w.delayLineEnd();
      this.w.endLine();
      this.w.up();
      this.w.startLine();
    }
    lines.forEach((line, i) => {
      line.forEach((e, j) => {
        if (j > 0) this.w.write(", ");
        this.writeElement(e, parenUnions);
      });
      if (i < lines.length - 1) {
        this.w.write(",");
        this.w.endLine();
        this.w.startLine();
      }
    });
    if (multiline) {
      this.w.write(",");
      this.w.endLine();
      this.w.down();
      this.w.startLine();
    }
  }

  private writeElement(e: Element, parenUnions: boolean): void {
    if (Array.isArray(e)) {
      const [k, v] = e;
      if (isUnion(k)) { this.w.write("("); this.writeTerm(k); this.w.write(")"); } else this.writeTerm(k);
      this.w.write(": ");
      if (isUnion(v)) { this.w.write("("); this.writeTerm(v); this.w.write(")"); } else this.writeTerm(v);
      return;
    }
    const paren = isUnion(e) && (parenUnions || this.src.charAt(e.loc) === "(");
    if (paren) this.w.write("(");
    this.writeTerm(e);
    if (paren) this.w.write(")");
  }

  private writeComprehension(open: string, close: string, key: Term | undefined, term: Term, body: Body, loc: Location): void {
    this.w.write(open);
    const first = key ?? term;
    if (first.loc.row > loc.row) { this.w.endLine(); this.w.startLine(); }
    if (key) {
      if (isUnion(key)) { this.w.write("("); this.writeTerm(key); this.w.write(")"); } else this.writeTerm(key);
      this.w.write(": ");
    }
    const paren = isUnion(term) || (term.type === "call" && this.src.charAt(term.loc) === "(" && !!INFIX[term.op]);
    if (paren) this.w.write("(");
    this.writeTerm(term);
    if (paren) this.w.write(")");
    this.w.write(" |");
    this.writeInnerBody(body, first.loc.row);
    this.w.write(close);
  }

  /**
   * A nested body (comprehension, `every`): on the opener's line separated by `; ` when the
   * source had it all on that line, else one literal per line, indented.
   */
  protected writeInnerBody(body: Body, openerRow: number): void {
    const oneLine = body.every((e) => e.loc.row === openerRow);
    if (!oneLine) {
      this.w.endLine();
      this.w.up();
      this.writeBody(body);
      this.w.down();
      this.w.startLine();
      return;
    }
    this.w.write(" ");
    body.forEach((e, i) => {
      if (i > 0) this.w.write("; ");
      this.writeExpr(e);
    });
  }

  private writeTemplate(parts: (string | Term)[]): void {
    this.w.write('$"');
    for (const p of parts) {
      if (typeof p === "string") this.w.write(JSON.stringify(p).slice(1, -1).replace(/\{/g, "\\{"));
      else { this.w.write("{"); this.writeTerm(p); this.w.write("}"); }
    }
    this.w.write('"');
  }
}
