import { builtins } from "../builtins/index.js";
import type { Value } from "../value/index.js";
import type { Expr, Term } from "../ast/types.js";
import type { Evaluator } from "./evaluator.js";
import type { Frame, FunctionMock, K } from "./context.js";
import { setPath } from "./collections.js";

const SEP = "\u0000";

/** An evaluation to run inside the context `with` modifiers set up; its continuation runs outside it. */
type Inner = (k: K) => boolean;

/** Evaluates an expression with its `with` modifiers applied (and undone for the continuation). */
export function evalWith(ev: Evaluator, e: Expr, f: Frame, k: K): boolean {
  return underWith(ev, e, f, (kk) => ev.evalExpr(e, f, kk), k);
}

/**
 * The first value of a term expression's term evaluated under the expression's own `with`
 * modifiers (a query's `data.p.x with input as {...}` reports x under that input), or undefined.
 */
export function termValueWith(ev: Evaluator, e: Expr & { kind: "term" }, f: Frame): Value | undefined {
  let v: Value | undefined;
  underWith(ev, e, f, (kk) => ev.evalTerm(e.term, f, (x) => { v = x; return kk(); }), () => true);
  return v;
}

function underWith(ev: Evaluator, e: Expr, f: Frame, inner: Inner, k: K): boolean {
  const mods: (() => () => void)[] = [];
  // Values are evaluated first, in the current context (first value of each).
  const collect = (i: number): boolean => {
    if (i === e.withs.length) return applyWith(ev, inner, mods, k);
    const w = e.withs[i]!;
    const target = w.target;
    const targetPath = nameOf(target);
    if (targetPath && targetPath[0] !== "input" && targetPath[0] !== "data") {
      mods.push(mockFunction(ev, targetPath.join("."), w.value, f));
      return collect(i + 1);
    }
    if (targetPath && targetPath[0] === "data") {
      const node = ev.policy.root.find(targetPath.slice(1));
      if (node?.isFunction) { mods.push(mockFunction(ev, targetPath.join("."), w.value, f)); return collect(i + 1); }
    }
    return ev.evalTerm(w.value, f, (v) => {
      mods.push(replaceDocument(ev, target, v, f));
      const r = collect(i + 1);
      mods.pop();
      return r;
    });
  };
  return collect(0);
}

function applyWith(ev: Evaluator, inner: Inner, mods: (() => () => void)[], k: K): boolean {
  const saved = { input: ev.input, overrides: ev.overrides, mocks: ev.mocks, cache: ev.cache };
  const apply = (): void => {
    ev.overrides = new Map(ev.overrides);
    ev.mocks = new Map(ev.mocks);
    ev.cache = new Map();
    for (const m of mods) m();
  };
  const within = { input: ev.input, overrides: ev.overrides, mocks: ev.mocks, cache: ev.cache };
  const restore = (s: typeof saved): void => {
    ev.input = s.input; ev.overrides = s.overrides; ev.mocks = s.mocks; ev.cache = s.cache;
  };
  apply();
  Object.assign(within, { input: ev.input, overrides: ev.overrides, mocks: ev.mocks, cache: ev.cache });
  try {
    return inner(() => {
      restore(saved);
      try { return k(); } finally { restore(within); }
    });
  } finally {
    restore(saved);
  }
}

function mockFunction(ev: Evaluator, op: string, value: Term, f: Frame): () => () => void {
  const name = nameOf(value);
  let mock: FunctionMock | undefined;
  if (name) {
    const full = name.join(".");
    const node = name[0] === "data" ? ev.policy.root.find(name.slice(1)) : undefined;
    if (node?.isFunction || (name[0] !== "data" && name[0] !== "input" && f.get(name[0]!) === undefined && builtins.has(full))) {
      mock = { kind: "function", op: full };
    }
  }
  if (!mock) {
    let v: Value | undefined;
    ev.evalTerm(value, f, (x) => { v = x; return true; });
    if (v === undefined) return () => () => {};
    mock = { kind: "value", value: v };
  }
  const m = mock;
  return () => { ev.mocks.set(op, m); return () => {}; };
}

function replaceDocument(ev: Evaluator, target: Term, v: Value, f: Frame): () => () => void {
  const path = refValuePath(target, ev, f);
  return () => {
    if (!path) return () => {};
    const [root, ...rest] = path;
    if (root === "input") ev.input = setPath(ev.input, rest, v);
    else {
      const key = ["data", ...rest.map(String)].join(SEP);
      ev.overrides.set(key, v);
    }
    return () => {};
  };
}

/** Dotted name of a var/ref made of names (`count`, `data.a.f`), else undefined. */
function nameOf(t: Term): string[] | undefined {
  if (t.type === "var") return [t.name];
  if (t.type !== "ref" || t.head.type !== "var") return undefined;
  const out = [t.head.name];
  for (const p of t.path) {
    if (p.type !== "scalar" || typeof p.value !== "string") return undefined;
    out.push(p.value);
  }
  return out;
}

/** Evaluates the path of a `with` target (`input.a[x]`) to keys; the first is "input"/"data". */
function refValuePath(t: Term, ev: Evaluator, f: Frame): [string, ...Value[]] | undefined {
  if (t.type === "var") return t.name === "input" || t.name === "data" ? [t.name] : undefined;
  if (t.type !== "ref" || t.head.type !== "var") return undefined;
  const out: [string, ...Value[]] = [t.head.name];
  for (const p of t.path) {
    let v: Value | undefined;
    ev.evalTerm(p, f, (x) => { v = x; return true; });
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}
