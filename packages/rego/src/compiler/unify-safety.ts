import type { Expr, Term } from "../ast/types.js";

const ROOTS = new Set(["data", "input"]);

/** A unification expression, `a = b` or `a := b`. */
export type UnifyExpr = Expr & { kind: "unify" };

/**
 * The vars of a unification that stay unbound when it runs with `bound` bound: OPA's rule
 * (`ast.Unify` and the ref outputs before it). A var on one side is bound by the other side
 * only when that side is known: a bound var, a constant, a ref or call over bound vars, a
 * comprehension; arrays and objects unify element by element, and two unbound vars wait for
 * each other. So `msg := undefined_thing` leaves both unbound (OPA: both are unsafe), while
 * `[a, b] := [1, x]` with `x` bound binds both.
 *
 * `pattern` are the vars the expression may bind (its pattern positions, see safety.ts).
 */
export function unboundByUnify(e: UnifyExpr, pattern: ReadonlySet<string>, bound: ReadonlySet<string>): string[] {
  const safe = new Set(bound);
  // A ref generates its path vars (`x = a[i]` binds i), as OPA's output vars of terms do.
  refPathVars(e.left, safe);
  refPathVars(e.right, safe);
  const u = new Unifier(safe);
  u.unify(e.left, e.right);
  const out: string[] = [];
  for (const x of pattern) if (!safe.has(x) && !u.unified.has(x)) out.push(x);
  return out;
}

/** Vars of ref paths (not inside comprehensions), added to `out`. */
function refPathVars(t: Term, out: Set<string>): void {
  switch (t.type) {
    case "ref":
      for (const p of t.path) varsOf(p, out, { refHeads: true, objectKeys: true });
      refPathVars(t.head, out);
      for (const p of t.path) refPathVars(p, out);
      return;
    case "array": case "set": t.items.forEach((x) => refPathVars(x, out)); return;
    case "object": t.entries.forEach(([k, v]) => { refPathVars(k, out); refPathVars(v, out); }); return;
    case "call": t.args.forEach((x) => refPathVars(x, out)); return;
    default: return;
  }
}

interface VarWalk { refHeads: boolean; objectKeys: boolean }

/** Vars of a term, outside comprehensions (their bodies bind their own), added to `out`. */
function varsOf(t: Term, out: Set<string>, walk: VarWalk): void {
  switch (t.type) {
    case "var": if (!ROOTS.has(t.name)) out.add(t.name); return;
    case "ref":
      if (walk.refHeads || t.head.type !== "var") varsOf(t.head, out, walk);
      for (const p of t.path) varsOf(p, out, walk);
      return;
    case "array": case "set": for (const x of t.items) varsOf(x, out, walk); return;
    case "object":
      for (const [k, v] of t.entries) { if (walk.objectKeys) varsOf(k, out, walk); varsOf(v, out, walk); }
      return;
    case "call": for (const x of t.args) varsOf(x, out, walk); return;
    case "template": for (const p of t.parts) if (typeof p !== "string") varsOf(p, out, walk); return;
    default: return;
  }
}

/** What a side needs bound to be known: every var but ref heads of calls' names and closures. */
const KNOWN = { refHeads: true, objectKeys: true };
/** The vars a known side binds on the other: not ref heads, object keys or closures. */
const BINDS = { refHeads: false, objectKeys: false };

class Unifier {
  readonly unified = new Set<string>();
  /** Var -> the unbound vars it waits for (two unbound vars unified wait for each other). */
  private readonly waiting = new Map<string, Set<string>>();

  constructor(private readonly safe: ReadonlySet<string>) {}

  private isSafe(x: string): boolean {
    return ROOTS.has(x) || this.safe.has(x) || this.unified.has(x);
  }

  /** Whether every var the term needs is bound (a ref: its head). */
  private known(t: Term): boolean {
    if (t.type === "ref" && t.head.type === "var") return this.isSafe(t.head.name);
    const vs = new Set<string>();
    varsOf(t, vs, KNOWN);
    for (const x of vs) if (!this.isSafe(x)) return false;
    return true;
  }

  unify(a: Term, b: Term): void {
    switch (a.type) {
      case "var":
        switch (b.type) {
          case "var":
            if (this.isSafe(b.name)) this.bind(a.name);
            else if (this.isSafe(a.name)) this.bind(b.name);
            else { this.wait(a.name, b.name); this.wait(b.name, a.name); }
            return;
          case "array": case "object": this.unifyVar(a.name, b); return;
          case "ref": case "call": case "template": if (this.known(b)) this.bind(a.name); return;
          default: this.bind(a.name); return;
        }
      case "ref": case "call": case "template":
        if (!this.known(a)) return;
        if (b.type === "var") this.bind(b.name);
        else if (b.type === "array" || b.type === "object") this.bindAll(b);
        return;
      case "arraycomp": case "objectcomp": case "setcomp":
        if (b.type === "var") this.bind(b.name);
        else if ((b.type === "array" && a.type === "arraycomp") || (b.type === "object" && a.type === "objectcomp")) this.bindAll(b);
        return;
      case "array":
        switch (b.type) {
          case "var": this.unifyVar(b.name, a); return;
          case "arraycomp": case "objectcomp": case "setcomp": this.bindAll(a); return;
          case "ref": case "call": case "template": if (this.known(b)) this.bindAll(a); return;
          case "array":
            if (a.items.length === b.items.length) a.items.forEach((x, i) => this.unify(x, b.items[i]!));
            return;
          default: return;
        }
      case "object":
        switch (b.type) {
          case "var": this.unifyVar(b.name, a); return;
          case "ref": case "call": case "template": if (this.known(b)) this.bindAll(a); return;
          case "object":
            if (a.entries.length !== b.entries.length) return;
            for (const [k, v] of a.entries) {
              const match = b.entries.find(([k2]) => sameKey(k, k2));
              if (match) this.unify(v, match[1]);
            }
            return;
          default: return;
        }
      default:
        if (b.type === "var") this.bind(b.name);
        return;
    }
  }

  /** A var unified with an array or object: bound when the composite is, or binding it. */
  private unifyVar(x: string, composite: Term): void {
    if (this.isSafe(x)) { this.bindAll(composite); return; }
    const vs = new Set<string>();
    varsOf(composite, vs, BINDS);
    const unbound = [...vs].filter((v) => !this.isSafe(v));
    if (unbound.length === 0) this.bind(x);
    else for (const v of unbound) this.wait(x, v);
  }

  private bindAll(t: Term): void {
    const vs = new Set<string>();
    varsOf(t, vs, BINDS);
    for (const x of vs) this.bind(x);
  }

  private bind(x: string): void {
    if (this.unified.has(x)) return;
    this.unified.add(x);
    // What x waited for is bound through it; what waited only for x is bound now.
    const deps = this.waiting.get(x);
    this.waiting.delete(x);
    if (deps) for (const d of deps) this.bind(d);
    for (const [v, vdeps] of [...this.waiting]) {
      if (!vdeps.delete(x) || vdeps.size > 0) continue;
      this.waiting.delete(v);
      this.bind(v);
    }
  }

  private wait(x: string, on: string): void {
    const deps = this.waiting.get(x);
    if (deps) deps.add(on);
    else this.waiting.set(x, new Set([on]));
  }
}

/** Object keys of two patterns that are the same constant (or the same var). */
function sameKey(a: Term, b: Term): boolean {
  if (a.type === "scalar" && b.type === "scalar") return a.value === b.value || String(a.value) === String(b.value) && typeof a.value === typeof b.value;
  if (a.type === "var" && b.type === "var") return a.name === b.name;
  return false;
}
