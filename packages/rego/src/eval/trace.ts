import type { Body, Expr, Rule, Term } from "../ast/types.js";
import type { Location } from "../errors.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame, K } from "./context.js";
import { bodySteps } from "./body.js";
import { constValue } from "./constants.js";
import { exprText, rulePath, termText } from "./trace-text.js";
import type { TraceNode } from "./trace-json.js";
import { toRegoString } from "../value/index.js";
import type { Value } from "../value/index.js";

/** The operations of OPA's trace events that Gantry records. */
export type TraceOp = "Enter" | "Eval" | "Exit" | "Fail" | "Redo" | "Note" | "Index" | "Unify";

/** One trace event, as OPA's `topdown.Event`: which query it belongs to and what happened. */
export interface TraceEvent {
  op: TraceOp;
  queryId: number;
  parentId: number;
  /** What the event is about, printed as OPA prints its node (an expression, a rule's path, a body). */
  node: string;
  /** Whether the node is an expression (OPA indents Redo of an expression one level deeper). */
  isExpr: boolean;
  /** Whether the event starts a rule or body (the lineage `notes` and `fails` keep). */
  isBody: boolean;
  location: Location | undefined;
  message?: string;
  /** The node itself, for the JSON trace (see trace-json.ts). */
  ast?: TraceNode;
  /** An expression's position in its body (OPA's `index`). */
  index?: number;
  /** The bindings of the query's vars when the event happened (not for notes). */
  locals?: [string, Value][];
  /** Index events: the path of the rules looked up (OPA's `Ref`). */
  ref?: string[];
}

/**
 * Records OPA-style trace events while a query evaluates. Bodies are evaluated one expression
 * at a time through the general path (no iteration indexes or compiled function shortcuts),
 * which costs speed, and is only used by `--explain`.
 */
export class Tracer {
  readonly events: TraceEvent[] = [];
  private nextId = 0;
  /** The query (body) being evaluated now, for `trace()` notes. */
  current = { id: 0, parent: 0, loc: undefined as Location | undefined, expr: undefined as Expr | undefined, frame: undefined as Frame | undefined };
  private readonly ruleOf = new WeakMap<Body, Rule>();
  private readonly singles = new WeakMap<Expr, Body>();

  constructor(rules: Iterable<Rule>) {
    for (const r of rules) {
      this.ruleOf.set(r.body, r);
      for (const e of r.elses) this.ruleOf.set(e.body, r);
    }
  }

  note(message: string): void {
    this.events.push({ op: "Note", queryId: this.current.id, parentId: this.current.parent, node: "", isExpr: false, isBody: false, location: this.current.loc, message });
  }

  /**
   * OPA's Index event: the expression under evaluation looks up the rules at `path` (a rule
   * document or a function). `matched`: the rules OPA's rule index would return (see
   * rule-index.ts `matchedRules`: those whose `input.path == constant` or argument conditions
   * hold now); "early exit" as OPA decides it: the matched rules are complete rules (or
   * functions) whose values are one and the same constant.
   */
  index(path: readonly string[], matched: readonly Rule[]): void {
    const { id, parent, loc, expr, frame } = this.current;
    if (!expr) return;
    const first = matched[0];
    // OPA's trie marks "multiple" when a matched rule, or one of its else rules, has another value.
    const early = first !== undefined && constValue(first.value) !== undefined &&
      matched.every((r) => r.kind !== "set" && !isObjectRule(r) && [r, ...r.elses].every((x) => termText(x.value) === termText(first.value)));
    const message = `(matched ${matched.length} rule${matched.length === 1 ? "" : "s"}${early ? ", early exit" : ""})`;
    this.events.push({ op: "Index", queryId: id, parentId: parent, node: path.join("."), isExpr: true, isBody: false, location: loc, message, ast: expr, index: this.indexOf(expr), ref: [...path], locals: frame?.bindings() });
  }

  private readonly positions = new WeakMap<Expr, number>();

  private indexOf(e: Expr): number {
    return this.positions.get(e) ?? 0;
  }

  /** Evaluates a body from expression `i0` on with Enter/Eval/Fail/Redo/Exit events. */
  evalBody(ev: Evaluator, body: Body, i0: number, f: Frame, k: K): boolean {
    const outer = this.current;
    const id = i0 === 0 || outer.id === 0 && this.events.length === 0 ? this.nextId++ : outer.id;
    const parent = id === outer.id ? outer.parent : outer.id;
    const rule = this.ruleOf.get(body);
    const head = rule ? rulePath(rule) : body.map(exprText).join("; ");
    const loc = rule ? rule.loc : body[0]?.loc;
    const whole: TraceNode = rule ?? body;
    const push = (op: TraceOp, node: string, isExpr: boolean, at: Location | undefined, ast: TraceNode, index = 0): void => {
      this.events.push({ op, queryId: id, parentId: parent, node, isExpr, isBody: !isExpr && (op === "Enter" || op === "Redo"), location: at, ast, index, locals: f.bindings() });
    };
    if (i0 === 0) push("Enter", head, false, loc, whole);
    const step = (i: number): boolean => {
      if (i === body.length) {
        push("Exit", head, false, loc, whole);
        this.current = outer;
        const stop = k();
        this.current = { id, parent, loc, expr: undefined, frame: f };
        if (!stop) push("Redo", head, false, loc, whole);
        return stop;
      }
      const e = body[i]!;
      const text = exprText(e);
      this.current = { id, parent, loc: e.loc, expr: e, frame: f };
      this.positions.set(e, i);
      push("Eval", text, true, e.loc, e, i);
      // OPA unifies the two sides of `=` / `:=` first: its Unify event shows them with the
      // vars bound so far replaced by their values.
      if (e.kind === "unify" && !e.negated) push("Unify", `${boundText(e.left, f)} = ${boundText(e.right, f)}`, true, e.loc, e, i);
      let solutions = 0;
      let single = this.singles.get(e);
      if (!single) { single = [e]; this.singles.set(e, single); }
      const stop = bodySteps(single)[0]!(ev, f, () => {
        if (solutions++ > 0) push("Redo", text, true, e.loc, e, i);
        return step(i + 1);
      });
      if (solutions === 0) push("Fail", text, true, e.loc, e, i);
      this.current = outer;
      return stop;
    };
    return step(i0);
  }
}

/** The events OPA's `--explain notes` keeps: each note with the enclosing rule entries. */
export function lineage(events: readonly TraceEvent[], keep: (e: TraceEvent) => boolean): TraceEvent[] {
  const out: TraceEvent[] = [];
  let entered = new Map<number, TraceEvent>();
  for (const e of events) {
    if (keep(e)) {
      const path = [e];
      let cur = entered.get(e.queryId);
      let prev: TraceEvent | undefined;
      while (cur && cur !== prev) {
        path.push(cur);
        prev = cur;
        cur = entered.get(cur.parentId);
      }
      out.push(...path.reverse());
      entered = new Map();
    }
    if (e.isBody) entered.set(e.queryId, e);
  }
  return out;
}

/**
 * Explain modes of `opa eval --explain`: `full` is every event but the Unify ones (OPA's
 * `lineage.Full`), `debug` every event, `notes` and `fails` the notes or failures with the rules
 * that led to each.
 */
export type ExplainMode = "full" | "debug" | "notes" | "fails";

/** The events `mode` shows, as OPA's `lineage` package filters them. */
export function explainEvents(events: readonly TraceEvent[], mode: ExplainMode): readonly TraceEvent[] {
  switch (mode) {
    case "debug": return events;
    case "full": return events.filter((e) => e.op !== "Unify");
    default: return lineage(events, (e) => e.op === (mode === "notes" ? "Note" : "Fail"));
  }
}

/**
 * The trace as `opa eval --explain <mode> --format pretty` prints it: a location column
 * (`file:row`, `query:row` for the query) padded to the longest, then `| ` per nesting level.
 */
export function formatTrace(events: readonly TraceEvent[], mode: ExplainMode): string {
  const shown = explainEvents(events, mode);
  const where = (e: TraceEvent): string => (e.location ? `${!e.location.file || e.location.file === "query" ? "query" : e.location.file}:${e.location.row}` : "");
  const width = Math.max(0, ...shown.map((e) => where(e).length)) + 4;
  const depths = new Map<number, number>();
  const lines = shown.map((e) => {
    let depth = depths.get(e.queryId) ?? 0;
    if (depth === 0) { depth = (depths.get(e.parentId) ?? 0) + 1; depths.set(e.queryId, depth); }
    const spaces = e.op === "Enter" || (e.op === "Redo" && !e.isExpr) ? depth : depth + 1;
    const padding = spaces > 1 ? "| ".repeat(spaces - 1) : "";
    const text = e.op === "Note" ? `${padding}Note ${JSON.stringify(e.message ?? "")}` : `${padding}${e.op} ${e.node}${e.message ? " " + e.message : ""}`;
    return `${where(e).padEnd(width)} ${text}`;
  });
  return lines.length ? lines.join("\n") + "\n" : "";
}

/** A rule of a partial object (`p[k] := v`): its values differ by key, never an early exit. */
function isObjectRule(r: Rule): boolean {
  return r.path.length > 1 || r.key !== undefined;
}

/** A unify operand as OPA's bindings show it: a bound var is its value. */
function boundText(t: Term, f: Frame): string {
  if (t.type === "var") {
    const v = f.get(t.name);
    if (v !== undefined) return toRegoString(v);
  }
  return termText(t);
}
