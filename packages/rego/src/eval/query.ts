import type { Value } from "../value/index.js";
import type { Body, Expr } from "../ast/types.js";
import type { CompiledPolicy } from "../compiler/compiler.js";
import { compileQuery } from "../compiler/compiler.js";
import { parseQuery } from "../parser/module-parser.js";
import type { Location } from "../errors.js";
import { Evaluator } from "./evaluator.js";
import { Frame } from "./context.js";
import type { EvalOptions } from "./context.js";
import { GEN, directFn } from "./direct.js";
import { termValueWith } from "./with.js";

/** One expression of a result: its value, source text and location (as `opa eval` prints). */
export interface ExpressionValue { value: Value; text: string; location: { row: number; col: number } }

/** One solution of a query. */
export interface QueryResult { expressions: ExpressionValue[]; bindings: Map<string, Value> }

/** A parsed, safety-ordered query, ready to run many times. */
export class CompiledQuery {
  readonly body: Body;
  private readonly original: Body;
  private readonly texts: string[];
  private readonly userVars: string[];

  /**
   * The query's one expression when it is a plain term (`data.spacelift.allow`, what the
   * platform asks of every policy): its value is the result, computed once, without the
   * solution machinery (frames of bindings, a second evaluation for the expression's value).
   */
  private readonly single: (Expr & { kind: "term" }) | undefined;

  constructor(private policy: CompiledPolicy, readonly source: string) {
    this.original = parseQuery(source, "query");
    this.body = compileQuery(policy, this.original);
    const only = this.body.length === 1 && this.original.length === 1 ? this.body[0]! : undefined;
    this.single = only && only.kind === "term" && !only.negated && only.withs.length === 0 && only.term.type !== "call" ? only : undefined;
    this.texts = exprTexts(source, this.original);
    const vars = new Set<string>();
    const visit = (x: unknown): void => {
      if (!x || typeof x !== "object") return;
      if (Array.isArray(x)) { x.forEach(visit); return; }
      const o = x as Record<string, unknown>;
      if (o.type === "var" && typeof o.name === "string" && !o.name.includes("$") && o.name !== "data" && o.name !== "input") vars.add(o.name);
      if (o.type === "arraycomp" || o.type === "setcomp" || o.type === "objectcomp") return;
      for (const [k, v] of Object.entries(o)) if (k !== "loc") visit(v);
    };
    visit(this.original);
    this.userVars = [...vars];
  }

  /** Evaluates the query; returns every solution with expression values and bindings. */
  run(opts: EvalOptions): QueryResult[] {
    const ev = new Evaluator(this.policy, opts);
    if (this.single && !opts.tracer) {
      const one = this.runSingle(ev, this.single);
      if (one !== GEN) return one;
    }
    const out: QueryResult[] = [];
    ev.run(this.body, (f: Frame) => {
      const bindings = new Map<string, Value>();
      for (const v of this.userVars) { const x = f.get(v); if (x !== undefined) bindings.set(v, x); }
      const expressions = this.original.map((e, i) => ({
        value: exprValue(ev, e, f),
        text: this.texts[i]!,
        location: { row: e.loc.row, col: e.loc.col },
      }));
      out.push({ expressions, bindings });
    });
    return out;
  }

  /**
   * A plain-term query evaluated directly: what the compiled body does for it (one step for the
   * expression, one for the solution; the expression's coverage), or GEN when the term needs the
   * general path (it binds vars, say).
   */
  private runSingle(ev: Evaluator, e: Expr & { kind: "term" }): QueryResult[] | typeof GEN {
    const v = directFn(e.term)(ev, new Frame());
    if (v === GEN) return GEN;
    ev.tick(e);
    ev.onCover?.(e.loc);
    if (v === undefined || v === false) return [];
    ev.tick(e);
    return [{ expressions: [{ value: v, text: this.texts[0]!, location: { row: e.loc.row, col: e.loc.col } }], bindings: new Map() }];
  }
}

function exprValue(ev: Evaluator, e: Expr, f: Frame): Value {
  if (e.kind !== "term" || e.negated) return true;
  const t = e.term;
  if (t.type === "call") {
    const arity = ev.arityOf(t.op);
    if (arity !== undefined && t.args.length === arity + 1) return true;
  }
  let v: Value | undefined;
  try {
    if (e.withs.length > 0) v = termValueWith(ev, e, f);
    else ev.evalTerm(t, f, (x) => { v = x; return true; });
  } catch { /* value already proven defined */ }
  return v ?? true;
}

/** Source text of each query expression, cut between expression start locations. */
function exprTexts(source: string, body: Body): string[] {
  const lines = source.split("\n");
  const offset = (loc: Location): number => {
    let o = 0;
    for (let r = 1; r < loc.row; r++) o += (lines[r - 1]?.length ?? 0) + 1;
    return o + loc.col - 1;
  };
  return body.map((e, i) => {
    const start = offset(e.loc);
    const next = body[i + 1];
    const end = next ? offset(next.loc) : source.length;
    return source.slice(start, end).trim().replace(/;$/, "").trim();
  });
}
