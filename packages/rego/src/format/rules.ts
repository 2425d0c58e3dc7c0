import type { Body, Expr, Import, Module, Rule, Term, WithModifier } from "../ast/types.js";
import { INFIX, TermFormatter } from "./terms.js";

/** How the module is written out. */
export interface LayoutOptions {
  /** Imports kept as written (`rego.v1`, `future.keywords...`); otherwise dropped as redundant in v1. */
  keepV0Imports: boolean;
  /** Add `import rego.v1` (output that parses as both v0 and v1, as `opa fmt --v0-v1`). */
  addRegoV1Import: boolean;
}

function importName(i: Import): string[] {
  const out: string[] = [];
  const walk = (t: Term): void => {
    if (t.type === "var") out.push(t.name);
    else if (t.type === "ref") { walk(t.head); for (const p of t.path) out.push(p.type === "scalar" ? String(p.value) : "?"); }
  };
  walk(i.path);
  return out;
}

function compareImports(a: Import, b: Import): number {
  const x = importName(a), y = importName(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  if (x.length !== y.length) return x.length - y.length;
  return (a.alias ?? "") < (b.alias ?? "") ? -1 : (a.alias ?? "") > (b.alias ?? "") ? 1 : 0;
}

const KEYWORD_NAMES = new Set(["default", "else", "not", "with", "as", "some", "in", "every", "contains", "if", "package", "import"]);
const isTrue = (t: Term): boolean => t.type === "scalar" && t.value === true;
const isFutureImport = (n: string[]): boolean => n[0] === "future" && n[1] === "keywords";
const isRegoV1Import = (n: string[]): boolean => n.length === 2 && n[0] === "rego" && n[1] === "v1";

/** Rules, bodies and literals in Rego v1 syntax (`if`, `contains`, `:=`), as `opa fmt` writes them. */
export class ModuleFormatter extends TermFormatter {
  /** Whether some rule head needs ref notation (`a.b.c`, `a.b contains x`), which then applies to all. */
  private refHeads = false;

  writeModule(m: Module, opts: LayoutOptions): void {
    this.refHeads = m.rules.some((r) => r.path.length > 2 || (r.path.length === 2 && r.kind === "set"));
    this.w.insertComments(m.packageLoc.row);
    this.w.startLine();
    this.w.write("package " + m.package.map((p, i) => (i === 0 || /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? (i ? "." : "") + p : `[${JSON.stringify(p)}]`)).join(""));
    this.w.blankLine();
    let imports = m.imports.filter((i) => {
      const n = importName(i);
      return opts.keepV0Imports ? !(isFutureImport(n) && m.imports.some((j) => isRegoV1Import(importName(j)))) : !isFutureImport(n) && !isRegoV1Import(n);
    });
    if (opts.addRegoV1Import && !imports.some((i) => isRegoV1Import(importName(i)))) {
      const row = Math.max(0, ...m.imports.filter((i) => isFutureImport(importName(i))).map((i) => i.loc.row)) || m.packageLoc.row + 1;
      const loc = { file: m.file, row, col: 1 };
      imports = [...imports, { path: { type: "ref", head: { type: "var", name: "rego", loc }, path: [{ type: "scalar", value: "v1", loc }], loc }, alias: undefined, loc }];
    }
    // Imports and rules keep their order in the source; each run of imports is one block.
    const items = [...imports.map((i) => ({ row: i.loc.row, imp: i as Import | undefined, rule: undefined as Rule | undefined })), ...distinctRules(m.rules).map((r) => ({ row: r.loc.row, imp: undefined, rule: r }))]
      .sort((a, b) => a.row - b.row);
    let i = 0;
    while (i < items.length) {
      const group: Import[] = [];
      while (i < items.length && items[i]!.imp) group.push(items[i++]!.imp!);
      if (group.length) this.writeImports(group);
      const rules: Rule[] = [];
      while (i < items.length && items[i]!.rule) rules.push(items[i++]!.rule!);
      if (rules.length) this.writeRules(rules);
    }
  }

  private writeImports(imports: Import[]): void {
    const groups: Import[][] = [];
    for (const imp of imports) {
      const g = groups[groups.length - 1];
      if (!g || imp.loc.row - g[g.length - 1]!.loc.row > 1) groups.push([imp]);
      else g.push(imp);
    }
    for (const g of groups) {
      // As opa fmt: each import's end-of-line comment travels with it when the group is sorted.
      const own = new Map(g.map((imp) => [imp, this.w.takeComment(imp.loc.row)]));
      this.w.insertComments(g[0]!.loc.row);
      for (const imp of [...g].sort(compareImports)) {
        this.w.insertComments(imp.loc.row);
        const c = own.get(imp);
        if (c) this.w.endLineWith(c);
        this.w.startLine();
        this.w.write("import " + importName(imp).map((p, i) => (i === 0 ? p : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? "." + p : `[${JSON.stringify(p)}]`)).join(""));
        if (imp.alias) this.w.write(" as " + imp.alias);
        this.w.endLine();
      }
      this.w.blankLine();
    }
  }

  private writeRules(rules: Rule[]): void {
    rules.forEach((r, i) => {
      this.w.insertComments(r.loc.row);
      this.writeRule(r);
      const next = rules[i + 1];
      if (next && this.oneLiner(r) && this.oneLiner(next) && next.loc.row === r.loc.row + 1) {
        if (this.w.inline) this.w.endLine();
        return;
      }
      this.w.blankLine();
    });
  }

  /** Rules `opa fmt` keeps on adjacent lines when they were adjacent in the source. */
  private oneLiner(r: Rule): boolean { return r.body.length <= 1 && !r.isDefault; }

  private writeRule(r: Rule): void {
    this.w.startLine();
    this.writeBranch(r, false, r);
    for (const e of r.elses) {
      const inline = !this.src.line(e.loc.row).trim().startsWith("else");
      if (inline && this.w.inline) this.w.write(" ");
      else { this.w.blankLine(); this.w.startLine(); }
      this.w.insertComments(e.loc.row);
      this.writeBranch(e, true, r);
    }
    if (this.w.inline) this.w.endLine();
  }

  /** A rule's head and body, or one `else` branch's; the line is left open after a closing brace. */
  private writeBranch(r: Rule, isElse: boolean, first: Rule): void {
    if (r.isDefault) this.w.write("default ");
    // `p { true }` and `p := 1` are the same constant rule, written without a body.
    const constBody = (isElse || first.elses.length === 0) && (r.body.length === 0 || (r.body.length === 1 && isPlainTrue(r.body[0]!)));
    this.writeHead(r, isElse, constBody, first);
    if (constBody) { this.w.endLine(); return; }
    this.w.write(" if");
    const lit = r.body[0]!;
    const headEnd = this.src.endRowBefore(lit.loc, ["{", "if"]);
    if (r.body.length === 1 && lit.loc.row === headEnd && !isSetLiteral(lit)) {
      this.w.write(" ");
      this.writeExpr(lit);
      this.w.insertComments(lit.loc.row);
      this.w.endLine();
      return;
    }
    this.w.write(" {");
    this.w.endLine();
    this.w.up();
    this.writeBody(r.body);
    this.w.insertComments(this.bodyEndRow(r, first));
    this.w.down();
    this.w.startLine();
    this.w.write("}");
  }

  /** The row of the `}` closing a rule's (or else branch's) body. */
  private bodyEndRow(r: Rule, first: Rule): number {
    const i = r === first ? 0 : first.elses.indexOf(r) + 1;
    const next = first.elses[i];
    return next ? this.src.endRowBefore(next.loc, []) ?? r.endRow : r.endRow;
  }

  private writeHead(r: Rule, isElse: boolean, constBody: boolean, first: Rule): void {
    if (isElse) this.w.write("else");
    else this.writeHeadRef(r);
    if (r.args && !isElse) {
      this.w.write("(");
      this.writeElements(r.args, r.loc, false);
      this.w.write(")");
    }
    if (r.kind === "set") {
      this.w.write(" contains ");
      this.writeTerm(r.key!);
      return;
    }
    // A value of `true` goes without saying, except for constants and defaults (as opa fmt).
    if (isTrue(r.value) && !constBody && !r.isDefault) return;
    const generated = !isElse && isTrue(r.value) && r.value.loc === first.loc;
    if (generated && r.args) return;
    this.w.write(" := ");
    this.writeTerm(r.value);
  }

  private writeHeadRef(r: Rule): void {
    const [name, ...rest] = r.path;
    this.w.write(String((name as { value: unknown }).value));
    // `p["x"]` unless some head needs ref notation, or the name is a keyword (`default.foo`).
    if (!this.refHeads && rest.length === 1 && !KEYWORD_NAMES.has(String((name as { value: unknown }).value))) {
      const k = rest[0]!;
      this.w.write("[");
      if (k.type === "scalar" && typeof k.value === "string" && this.src.charAt(k.loc) !== '"') this.w.write(JSON.stringify(k.value));
      else this.writeTerm(k);
      this.w.write("]");
      return;
    }
    for (const p of rest) this.writeSegment(p);
  }

  protected writeBody(body: Body): void {
    body.forEach((e, i) => {
      if (i > 0) {
        const prevEnd = this.src.endRowBefore(e.loc) ?? body[i - 1]!.loc.row;
        if (e.loc.row > prevEnd + 1 && !this.commentBetween(prevEnd, e.loc.row)) this.w.blankLine();
      }
      this.w.insertComments(e.loc.row);
      this.w.startLine();
      this.writeExpr(e);
      this.w.endLine();
    });
  }

  /** A comment line between two literals already separates them; the blank line stays with it. */
  private commentBetween(from: number, to: number): boolean {
    for (let r = from + 1; r < to; r++) if (this.src.line(r).trim().startsWith("#")) return true;
    return false;
  }

  protected writeExpr(e: Expr): void {
    this.w.insertComments(e.loc.row);
    if (e.negated) this.w.write("not ");
    switch (e.kind) {
      case "term": this.writeExprTerm(e.term); break;
      case "unify":
        this.writeTerm(e.left);
        this.w.write(` ${e.op} `);
        this.writeTerm(e.right);
        break;
      case "some":
        this.w.write("some " + e.vars.map((v) => this.varName(v.name)).join(", "));
        break;
      case "somein":
        this.w.write("some ");
        if (e.key) { this.writeTerm(e.key); this.w.write(", "); }
        this.writeTerm(e.value);
        this.w.write(" in ");
        this.writeTerm(e.domain);
        break;
      case "every":
        this.w.write("every ");
        if (e.key) { this.writeTerm(e.key); this.w.write(", "); }
        this.writeTerm(e.value);
        this.w.write(" in ");
        this.writeTerm(e.domain);
        this.w.write(" {");
        this.writeInnerBody(e.body, e.loc.row);
        if (e.body.length === 1 && e.body[0]!.loc.row === e.loc.row) this.w.write(" ");
        this.w.write("}");
        break;
    }
    this.writeWiths(e.withs, e.loc.row);
  }

  /** A call written as a literal: `plus(x, 1, y)` (the result as last argument) is `y = x + 1`. */
  private writeExprTerm(t: Term): void {
    if (t.type === "call" && INFIX[t.op] && t.args.length === 3) {
      this.writeTerm(t.args[2]!);
      this.w.write(" = ");
      this.writeTerm({ ...t, args: t.args.slice(0, 2) });
      return;
    }
    this.topLevel = true;
    this.writeTerm(t);
  }

  private writeWiths(withs: WithModifier[], row: number): void {
    let last = row;
    let indented = false;
    for (const w of withs) {
      if (w.loc.row > last) {
        if (!indented) { this.w.up(); indented = true; }
        this.w.endLine();
        this.w.startLine();
        last = w.loc.row;
      } else this.w.write(" ");
      this.w.insertComments(w.loc.row);
      this.w.write("with ");
      this.writeTerm(w.target);
      this.w.write(" as ");
      this.writeTerm(w.value);
    }
    if (indented) this.w.down();
  }
}

function isPlainTrue(e: Expr): boolean {
  return e.kind === "term" && !e.negated && e.withs.length === 0 && isTrue(e.term);
}

function isSetLiteral(e: Expr): boolean {
  return e.kind === "term" && !e.negated && (e.term.type === "set" && e.term.items.length > 0);
}

/** The parser repeats a head for each extra v0 body (`p { a } { b }`); each is its own rule. */
function distinctRules(rules: Rule[]): Rule[] { return rules; }
