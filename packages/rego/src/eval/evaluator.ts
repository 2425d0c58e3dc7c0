import { RArray, RNumber, RObject, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Body, Expr, Rule, Term } from "../ast/types.js";
import type { CompiledPolicy } from "../compiler/compiler.js";
import type { RuleNode } from "../compiler/rule-tree.js";
import { ruleSuffix } from "../compiler/rule-tree.js";
import { RegoError } from "../errors.js";
import type { Location } from "../errors.js";
import { builtins, BuiltinError, operandCheck } from "../builtins/index.js";
import type { BuiltinContext, BuiltinDef } from "../builtins/index.js";
import type { EvalOptions, FunctionMock, K, KV } from "./context.js";
import { Frame } from "./context.js";
import { conflict } from "./errors.js";
import { forEachEntry, forEachValue, lookup, lookupData, setPath } from "./collections.js";
import { ValueMap } from "./value-map.js";
import { objectBuilder } from "./object-rules.js";
import { mergeDocs } from "./documents.js";
import { constValue } from "./constants.js";
import { COMPARISONS, argOrder, callSites, functionNode } from "./call-sites.js";
import type { CallSite } from "./call-sites.js";
import { memberOf, walkAll } from "./relations.js";
import { BAIL, compiledBody, compiledRule } from "./codegen/compiled-body.js";
import { bodySteps } from "./body.js";
import type { Tracer } from "./trace.js";
import { GEN, direct, directFn } from "./direct.js";
import { displayVar } from "../compiler/safety.js";
import { NO_VALUE, isInputOnly, shareValue, sharedValue } from "./input-rules.js";
import { matchedRules } from "./rule-index.js";

const UNDEF = Symbol("undefined");
/** Marks a node whose value is being computed: meeting it again is recursion. */
const IN_PROGRESS = Symbol("in progress");
type Cached = Value | typeof UNDEF | typeof IN_PROGRESS;
const SEP = "\u0000";
// Shared by every evaluation without `with` (most of them); never written to (see with.ts).
const NO_OVERRIDES: Map<string, Value> = new Map();
const NO_MOCKS: Map<string, FunctionMock> = new Map();

/**
 * Top-down evaluator with backtracking. Generators are continuation-passing: each solution calls
 * the continuation, which returns true to stop. Bindings are undone when a continuation returns.
 */
export class Evaluator {
  /** @internal */
  input: Value | undefined;
  /** @internal */
  cache = new Map<RuleNode, Cached>();
  /** @internal `with` replaces (copies) these maps before adding to them: the empty ones are shared. */
  overrides: Map<string, Value> = NO_OVERRIDES;
  /** @internal */
  mocks: Map<string, FunctionMock> = NO_MOCKS;
  private steps = 0;
  // Read at every step: own fields, not loads through `opts`.
  private readonly maxSteps: number;
  private readonly deadline: number;
  /** The step count at which the limits are next checked. */
  private checkAt: number;
  /** @internal The coverage hook of `opts`, if any. */
  readonly onCover: ((loc: Location) => void) | undefined;
  /** @internal The trace recorder of `opts`, if any. */
  readonly tracer: Tracer | undefined;
  readonly bctx: BuiltinContext;

  constructor(readonly policy: CompiledPolicy, readonly opts: EvalOptions) {
    this.input = opts.input;
    this.maxSteps = opts.maxSteps;
    this.checkAt = Math.min(opts.maxSteps, 1023);
    this.deadline = opts.deadline;
    this.onCover = opts.onCover;
    this.tracer = opts.tracer;
    this.bctx = new EvalBuiltinContext(opts);
  }

  /** Runs a query body, calling `onResult` with the frame of each solution. */
  run(body: Body, onResult: (f: Frame) => void): void {
    const f = new Frame();
    this.evalBody(body, 0, f, () => { onResult(f); return false; });
  }

  /** @internal Counts one evaluation step; throws when a limit is exceeded. */
  tick(e: Expr | undefined): void {
    // One compare per step: the limits are looked at every 1,024 steps (and at maxSteps).
    if (++this.steps > this.checkAt) this.checkLimits(e);
  }

  /** @internal Counts `n` steps at once (members an iteration index skipped); see `tick`. */
  tickN(e: Expr | undefined, n: number): void {
    this.steps += n;
    if (this.steps > this.checkAt) this.checkLimits(e);
  }

  private checkLimits(e: Expr | undefined): void {
    if (this.steps > this.maxSteps) {
      throw RegoError.of("eval_cancel_error", `evaluation exceeded the limit of ${this.maxSteps} steps: simplify the policy or raise maxSteps`, e?.loc);
    }
    if (Date.now() > this.deadline) {
      throw RegoError.of("eval_cancel_error", "evaluation exceeded the time limit: simplify the policy or raise maxTimeMs", e?.loc);
    }
    this.checkAt = Math.min(this.maxSteps, this.steps + 1023);
  }

  /** Evaluates `body` from expression `i0` on, calling `k` per solution (see body.ts). */
  evalBody(body: Body, i0: number, f: Frame, k: K): boolean {
    if (this.tracer) return this.tracer.evalBody(this, body, i0, f, k);
    // Generated code (eval/codegen/) where nothing observes or replaces single steps.
    if (i0 === 0 && this.generatedCodeApplies()) {
      const c = compiledBody(body, this);
      if (c !== undefined) {
        const r = c(this, f, k);
        if (r !== BAIL) return r;
      }
    }
    return bodySteps(body)[i0]!(this, f, k);
  }

  /**
   * Whether generated code (eval/codegen/) may run: nothing observes single steps (coverage,
   * tracing) or replaces what they read (`with`, disabled builtins).
   */
  private generatedCodeApplies(): boolean {
    return this.onCover === undefined && this.tracer === undefined && this.mocks.size === 0 && this.overrides.size === 0 && this.opts.disabled.size === 0;
  }

  /** Runs a compiled rule (body and head) when one applies: false when the interpreter must. */
  private runCompiledRule(r: Rule, head: Term, f: Frame, onValue: KV): boolean {
    if (!this.generatedCodeApplies()) return false;
    const c = compiledRule(r.body, head, this);
    return c !== undefined && c(this, f, onValue) !== BAIL;
  }

  /** @internal */
  evalExpr(e: Expr, f: Frame, k: K): boolean {
    if (e.negated) {
      if (e.kind === "term" && !(e.term.type === "call" && this.callSite(e.term).out)) {
        const d = direct(this, e.term, f);
        if (d !== GEN) return d === undefined || d === false ? k() : false;
      }
      let found = false;
      this.evalExprPositive(e, f, () => { found = true; return true; });
      return found ? false : k();
    }
    return this.evalExprPositive(e, f, k);
  }

  private evalExprPositive(e: Expr, f: Frame, k: K): boolean {
    switch (e.kind) {
      case "term": {
        const t = e.term;
        if (t.type === "call") {
          const site = this.callSite(t);
          if (site.out) {
            const out = site.out;
            return this.evalCall(t, site.inputs, f, (v) => this.unifyValue(out, v, f, k));
          }
        }
        const d = direct(this, t, f);
        if (d !== GEN) return d === undefined || d === false ? false : k();
        return this.evalTerm(t, f, (v) => (v === false ? false : k()));
      }
      case "unify": {
        const l = e.left;
        if (l.type === "var" && l.name !== "data" && l.name !== "input" && f.get(l.name) === undefined) {
          // `x := expr` / `x = expr` with x unbound: bind the value directly when it cannot generate.
          const d = direct(this, e.right, f);
          if (d !== GEN) {
            if (d === undefined) return false;
            f.set(l.name, d);
            try { return k(); } finally { f.set(l.name, undefined); }
          }
        }
        return this.unify(l, e.right, f, k);
      }
      case "some":
        return k();
      case "somein":
        if (!e.key) {
          const x = e.value;
          if (x.type === "var" && f.get(x.name) === undefined) {
            // `some x in xs` with x fresh: bind each member in a plain loop.
            return this.evalTerm(e.domain, f, (dv) => {
              try {
                return forEachValue(dv, (val) => { f.set(x.name, val); return k(); });
              } finally { f.set(x.name, undefined); }
            });
          }
          return this.evalTerm(e.domain, f, (dv) => forEachValue(dv, (val) => this.unifyValue(x, val, f, k)));
        }
        return this.evalTerm(e.domain, f, (dv) =>
          forEachEntry(dv, (key, val) =>
            this.unifyValue(e.value, val, f, () => (e.key ? this.unifyValue(e.key, dv instanceof RSet ? val : key, f, k) : k()))));
      case "every":
        return this.evalTerm(e.domain, f, (dv) => {
          if (!(dv instanceof RArray || dv instanceof RObject || dv instanceof RSet)) return false;
          const failed = forEachEntry(dv, (key, val) => {
            let ok = false;
            this.unifyValue(e.value, val, f, () => (e.key ? this.unifyValue(e.key, key, f, () => this.evalBody(e.body, 0, f, () => (ok = true))) : this.evalBody(e.body, 0, f, () => (ok = true))));
            return !ok;
          });
          return failed ? false : k();
        });
    }
  }

  // ---- unification ------------------------------------------------------------------------

  isPattern(t: Term, f: Frame): boolean {
    switch (t.type) {
      case "var": return t.name !== "data" && t.name !== "input" && f.get(t.name) === undefined;
      case "array": return t.items.some((x) => this.isPattern(x, f));
      case "object": return t.entries.some(([, x]) => this.isPattern(x, f));
      default: return false;
    }
  }

  unify(a: Term, b: Term, f: Frame, k: K): boolean {
    const pa = this.isPattern(a, f);
    const pb = this.isPattern(b, f);
    if (pa && pb) {
      if (a.type === "array" && b.type === "array") {
        if (a.items.length !== b.items.length) return false;
        const step = (i: number): boolean => (i === a.items.length ? k() : this.unify(a.items[i]!, b.items[i]!, f, () => step(i + 1)));
        return step(0);
      }
      if (a.type === "object" && b.type === "object" && a.entries.length === b.entries.length) {
        const keyOf = (t: Term): Value | undefined => { let v: Value | undefined; this.evalTerm(t, f, (x) => { v = x; return true; }); return v; };
        const bk = b.entries.map(([kt]) => keyOf(kt));
        const pairs: [Term, Term][] = [];
        for (const [kt, vt] of a.entries) {
          const key = keyOf(kt);
          const j = key === undefined ? -1 : bk.findIndex((x) => x !== undefined && equals(x, key));
          if (j < 0) return false;
          pairs.push([vt, b.entries[j]![1]]);
        }
        const step = (i: number): boolean => (i === pairs.length ? k() : this.unify(pairs[i]![0], pairs[i]![1], f, () => step(i + 1)));
        return step(0);
      }
      if (a.type === "var" || b.type === "var") {
        const v = (a.type === "var" ? a : b) as { name: string };
        throw RegoError.of("rego_unsafe_var_error", `var ${displayVar(v.name)} is unsafe`, a.loc);
      }
    }
    if (pa) return this.evalTerm(b, f, (v) => this.unifyValue(a, v, f, k));
    return this.evalTerm(a, f, (v) => this.unifyValue(b, v, f, k));
  }

  unifyValue(t: Term, v: Value, f: Frame, k: K): boolean {
    switch (t.type) {
      case "var": {
        if (t.name === "data" || t.name === "input") break;
        const cur = f.get(t.name);
        if (cur !== undefined) return equals(cur, v) ? k() : false;
        f.set(t.name, v);
        try { return k(); } finally { f.set(t.name, undefined); }
      }
      case "array": {
        if (!(v instanceof RArray) || v.length !== t.items.length) return false;
        if (!this.isPattern(t, f)) break;
        return this.unifyItems(t.items, v.items, 0, f, k);
      }
      case "object": {
        if (!(v instanceof RObject) || v.size !== t.entries.length) return false;
        if (!this.isPattern(t, f)) break;
        const step = (i: number): boolean => {
          if (i === t.entries.length) return k();
          const [kt, vt] = t.entries[i]!;
          return this.evalTerm(kt, f, (key) => {
            const x = v.get(key);
            return x === undefined ? false : this.unifyValue(vt, x, f, () => step(i + 1));
          });
        };
        return step(0);
      }
      default: break;
    }
    return this.evalTerm(t, f, (tv) => (equals(tv, v) ? k() : false));
  }

  // ---- terms ------------------------------------------------------------------------------

  evalTerm(t: Term, f: Frame, k: KV): boolean {
    if (t.type === "ref" || t.type === "call") {
      const d = direct(this, t, f);
      if (d !== GEN) return d === undefined ? false : k(d);
    }
    switch (t.type) {
      case "scalar": return k(t.value);
      case "var": {
        if (t.name === "input") return this.input === undefined ? false : k(this.input);
        if (t.name === "data") return this.evalData(this.policy.root, this.opts.data, ["data"], [], 0, f, k);
        const v = f.get(t.name);
        if (v === undefined) throw RegoError.of("rego_unsafe_var_error", `var ${displayVar(t.name)} is unsafe`, t.loc);
        return k(v);
      }
      case "ref": return this.evalRef(t, f, k);
      case "array": {
        const c = constValue(t);
        if (c !== undefined) return k(c);
        return this.evalList(t.items, f, (vs) => k(new RArray(vs)));
      }
      case "set": {
        const c = constValue(t);
        if (c !== undefined) return k(c);
        return this.evalList(t.items, f, (vs) => k(RSet.from(vs)));
      }
      case "object": {
        const c = constValue(t);
        if (c !== undefined) return k(c);
        const flat = t.entries.flatMap(([a, b]) => [a, b]);
        return this.evalList(flat, f, (vs) => {
          const entries: [Value, Value][] = [];
          for (let i = 0; i < vs.length; i += 2) entries.push([vs[i]!, vs[i + 1]!]);
          return k(RObject.from(entries));
        });
      }
      case "call": return this.evalCall(t, t.args, f, k);
      case "arraycomp": {
        const out: Value[] = [];
        this.evalBody(t.body, 0, f, () => this.evalTerm(t.term, f, (v) => { out.push(v); return false; }));
        return k(new RArray(out));
      }
      case "setcomp": {
        const out: Value[] = [];
        this.evalBody(t.body, 0, f, () => this.evalTerm(t.term, f, (v) => { out.push(v); return false; }));
        return k(RSet.from(out));
      }
      case "objectcomp": {
        const out = new ValueMap<Value>();
        this.evalBody(t.body, 0, f, () => this.evalTerm(t.key, f, (key) => this.evalTerm(t.value, f, (v) => {
          const prev = out.get(key);
          if (prev !== undefined && !equals(prev, v)) throw conflict("object keys must be unique", t.loc);
          out.set(key, v);
          return false;
        })));
        return k(RObject.from(out.entries()));
      }
      case "template": {
        const parts = t.parts.map((p) => (typeof p === "string" ? p : this.valueSet(p, f)));
        const out = this.callBuiltin("internal.template_string", [new RArray(parts)], t);
        return out === undefined ? false : k(out);
      }
    }
  }

  private unifyItems(items: readonly Term[], vals: readonly Value[], i: number, f: Frame, k: K): boolean {
    if (i === items.length) return k();
    return this.unifyValue(items[i]!, vals[i]!, f, () => this.unifyItems(items, vals, i + 1, f, k));
  }

  evalList(items: readonly Term[], f: Frame, k: (vs: Value[]) => boolean): boolean {
    return this.evalListFrom(items, 0, new Array<Value>(items.length), f, k);
  }

  private evalListFrom(items: readonly Term[], i: number, out: Value[], f: Frame, k: (vs: Value[]) => boolean): boolean {
    if (i === items.length) return k(out.slice());
    return this.evalTerm(items[i]!, f, (v) => { out[i] = v; return this.evalListFrom(items, i + 1, out, f, k); });
  }

  private evalRef(t: Term & { type: "ref" }, f: Frame, k: KV): boolean {
    const head = t.head;
    if (head.type === "var") {
      if (head.name === "data") return this.evalData(this.policy.root, this.opts.data, ["data"], t.path, 0, f, k);
      if (head.name === "input") return this.input === undefined ? false : this.walkValue(this.input, t.path, 0, f, k);
    }
    return this.evalTerm(head, f, (v) => this.walkValue(v, t.path, 0, f, k));
  }

  walkValue(v0: Value, path: readonly Term[], i0: number, f: Frame, k: KV, baseData = false): boolean {
    // In base data a number key also finds the same key as a string (`data.a[2]` -> "2").
    const get = baseData ? lookupData : lookup;
    let v = v0;
    let i = i0;
    // Constant segments (`a.b["c"]`) need no continuation per step.
    while (i < path.length) {
      const p = path[i]!;
      if (p.type !== "scalar") break;
      const child = get(v, p.value);
      if (child === undefined) return false;
      v = child;
      i++;
    }
    if (i === path.length) return k(v);
    const seg = path[i]!;
    if (this.isPattern(seg, f)) {
      return forEachEntry(v, (key, child) => this.unifyValue(seg, key, f, () => this.walkValue(child, path, i + 1, f, k)));
    }
    return this.evalTerm(seg, f, (key) => {
      const child = get(v, key);
      return child === undefined ? false : this.walkValue(child, path, i + 1, f, k, baseData);
    });
  }

  // ---- documents --------------------------------------------------------------------------

  /** @internal */
  evalData(node0: RuleNode | undefined, base0: Value | undefined, at: string[], path: readonly Term[], i0: number, f: Frame, k: KV): boolean {
    let node = node0;
    let base = base0;
    let i = i0;
    if (this.overrides.size === 0) {
      // Descend through packages by constant names without a continuation per step.
      while (node && !node.hasRules && i < path.length) {
        const seg = path[i]!;
        if (seg.type !== "scalar" || typeof seg.value !== "string") break;
        node = node.children.get(seg.value);
        base = lookup(base, seg.value);
        i++;
      }
    }
    if (this.overrides.size > 0) {
      const ov = this.overrides.get(at.join(SEP));
      if (ov !== undefined) return this.walkValue(ov, path, i, f, k);
    }
    if (!node || node.hasRules || i === path.length) {
      const v = this.materialize(node, base, at);
      return v === undefined ? false : this.walkValue(v, path, i, f, k, !node);
    }
    const seg = path[i]!;
    const step = (key0: Value): boolean => {
      // Data paths are strings; a number key addresses the same document (`data[2]`).
      const key = key0 instanceof RNumber ? key0.toString() : key0;
      if (typeof key !== "string") {
        // Rules only define string keys: other keys can only be found in base data.
        const v = base;
        const child = v === undefined ? undefined : lookup(v, key);
        return child === undefined ? false : this.walkValue(child, path, i + 1, f, k);
      }
      // The path so far only matters for `with data...` overrides.
      return this.evalData(node.children.get(key), lookup(base, key), this.overrides.size > 0 ? [...at, key] : at, path, i + 1, f, k);
    };
    if (this.isPattern(seg, f)) {
      const keys = new Set<string>(node.children.keys());
      const extra: Value[] = [];
      if (base instanceof RObject) for (const key of base.keys()) { if (typeof key === "string") keys.add(key); else extra.push(key); }
      for (const key of [...keys, ...extra]) {
        if (this.unifyValue(seg, key, f, () => step(key))) return true;
      }
      return false;
    }
    return this.evalTerm(seg, f, step);
  }

  /** @internal The document at a rule-tree node (rules, packages, base data, overrides). */
  materialize(node: RuleNode | undefined, base: Value | undefined, at: string[]): Value | undefined {
    if (this.overrides.size > 0) {
      const key = at.join(SEP);
      const ov = this.overrides.get(key);
      if (ov !== undefined) return ov;
      if (!node) {
        let v = base;
        for (const [p, x] of this.overrides) if (p.startsWith(key + SEP)) v = setPath(v, p.slice(key.length + 1).split(SEP), x);
        return v;
      }
    }
    if (!node) return base;
    // Base data wins over rules at the same path, as OPA's store-backed lookups do.
    if (node.hasRules && base !== undefined) return base;
    if (node.hasRules && node.isFunction) {
      // Zero-argument functions (`f() = 1`) show up in documents with their value.
      if (node.rules.length === 0 || !node.rules.every((r) => r.args?.length === 0)) return undefined;
      let out: Value | undefined;
      this.callFunction(node, [], (v) => { out = v; return true; });
      return out;
    }
    if (node.hasRules) return this.nodeValue(node, base, at);
    const entries: [Value, Value][] = base instanceof RObject ? base.entries() : [];
    const obj = new ValueMap<Value>();
    for (const [k, v] of entries) obj.set(k, v);
    for (const [name, child] of node.children) {
      const v = this.materialize(child, lookup(base, name), [...at, name]);
      if (v !== undefined) obj.set(name, v);
    }
    let out: Value = RObject.from(obj.entries());
    if (this.overrides.size > 0) {
      const key = at.join(SEP) + SEP;
      for (const [p, x] of this.overrides) {
        if (!p.startsWith(key)) continue;
        const rest = p.slice(key.length).split(SEP);
        if (!node.children.has(rest[0]!)) out = setPath(out, rest, x);
      }
    }
    return out;
  }

  /** @internal Value of a node with rules (complete, set, object), memoized per `with` context. */
  nodeValue(node: RuleNode, base: Value | undefined, at: string[]): Value | undefined {
    // OPA looks the rules up (its Index event) before consulting its cache of their values.
    if (this.tracer) this.tracer.index(at, matchedRules(node.rules, this.input, undefined));
    const key = node;
    const c = this.cache.get(key);
    if (c !== undefined) {
      if (c === IN_PROGRESS) throw RegoError.of("rego_recursion_error", `rule ${at.join(".")} is recursive`);
      return c === UNDEF ? undefined : c;
    }
    // The marker rather than a set of nodes under way: one map operation less per rule.
    this.cache.set(key, IN_PROGRESS);
    // A value that depends on the input alone is shared by every query over the same input
    // object (see input-rules.ts); not under `with`, nor when coverage is being recorded.
    const input = this.input;
    const share = base === undefined && input !== null && typeof input === "object" && this.overrides.size === 0 &&
      this.mocks.size === 0 && !this.onCover && !this.tracer && isInputOnly(node) ? input : undefined;
    if (share) {
      const known = sharedValue(node, share);
      if (known !== undefined) {
        this.cache.set(key, known === NO_VALUE ? UNDEF : known);
        return known === NO_VALUE ? undefined : known;
      }
    }
    let v: Value | undefined;
    let done = false;
    try {
      v = this.computeNode(node);
      if (node.children.size > 0 && (v === undefined || v instanceof RObject)) {
        let obj = v instanceof RObject ? v : undefined;
        for (const [name, child] of node.children) {
          const cv = this.materialize(child, lookup(base, name), [...at, name]);
          if (cv === undefined) continue;
          const prev = obj?.get(name);
          obj = (obj ?? RObject.empty).with(name, prev === undefined ? cv : mergeDocs(prev, cv, node.rules[0]?.loc));
        }
        v = obj;
      }
      done = true;
    } finally {
      if (!done) this.cache.delete(key);
    }
    this.cache.set(key, v === undefined ? UNDEF : v);
    if (share) shareValue(node, share, v === undefined ? NO_VALUE : v);
    return v;
  }

  private computeNode(node: RuleNode): Value | undefined {
    // Traced, only the rules OPA's index hands its evaluator (their Index event counts them):
    // a rule left out has a condition that fails now, so the value is the same, and the trace
    // shows no Enter for it, as OPA's. Untraced, every rule (cheaper than the lookup).
    const rules = this.tracer ? matchedRules(node.rules, this.input, undefined) : node.rules;
    const first = rules[0];
    if (hasRefHeads(node)) return this.computeObject(rules);
    if (first?.kind === "set") {
      const out: Value[] = [];
      for (const r of rules) {
        const f = new Frame();
        const push = (v: Value): boolean => { this.onCover?.(r.loc); out.push(v); return false; };
        if (this.runCompiledRule(r, r.key!, f, push)) continue;
        const key = directFn(r.key!);
        this.evalBody(r.body, 0, f, () => {
          const v = key(this, f);
          if (v === GEN) return this.evalTerm(r.key!, f, push);
          return v === undefined ? false : push(v);
        });
      }
      return RSet.from(out);
    }
    let result: Value | undefined;
    for (const r of rules) {
      const onValue = (v: Value): boolean => {
        if (result !== undefined && !equals(result, v)) throw conflict("complete rules must not produce multiple outputs", r.loc);
        result = v;
        return false;
      };
      if (r.elses.length === 0) this.evalCompleteRule(r, onValue);
      else this.evalRuleChain(r, new Frame(), onValue);
    }
    if (result === undefined && node.defaultRule) {
      this.evalTerm(node.defaultRule.value, new Frame(), (v) => { result = v; return true; });
    }
    return result;
  }

  /**
   * A complete rule without `else` (`allow if ...`, `x := v if ...`), the usual shape: its body
   * on a new frame, the value computed directly, with none of the else chain's machinery.
   */
  private evalCompleteRule(r: Rule, onValue: KV): void {
    const f = new Frame();
    if (this.runCompiledRule(r, r.value, f, onValue)) return;
    const value = directFn(r.value);
    this.evalBody(r.body, 0, f, () => {
      this.onCover?.(r.loc);
      const v = value(this, f);
      if (v === GEN) return this.evalTerm(r.value, f, onValue);
      return v === undefined ? false : onValue(v);
    });
  }

  /** Evaluates a rule and its else chain: the first member with a solution gives the values. */
  evalRuleChain(r: Rule, f: Frame, onValue: KV, args?: Value[]): void {
    if (r.elses.length === 0 && args && r.args && simpleParams(r.args)) {
      // The common function shape: plain var parameters, no else. Bind them directly.
      const frame = new Frame();
      for (let i = 0; i < r.args.length; i++) {
        const p = r.args[i]! as { name: string };
        const prev = frame.get(p.name);
        if (prev !== undefined && !equals(prev, args[i]!)) return;
        frame.set(p.name, args[i]!);
      }
      const value = directFn(r.value);
      this.evalBody(r.body, 0, frame, () => {
        this.onCover?.(r.loc);
        const v = value(this, frame);
        if (v === GEN) return this.evalTerm(r.value, frame, onValue);
        return v === undefined ? false : onValue(v);
      });
      return;
    }
    for (let m = 0; m <= r.elses.length; m++) {
      const member = m === 0 ? r : r.elses[m - 1]!;
      let found = false;
      const frame = f.clone();
      // Template-string parameters may use vars the body binds: they are checked after it.
      const deferred: number[] = [];
      const checkDeferred = (j: number, k: K): boolean => (j === deferred.length ? k() : this.unifyValue(member.args![deferred[j]!]!, args![deferred[j]!]!, frame, () => checkDeferred(j + 1, k)));
      const body = (): boolean => this.evalBody(member.body, 0, frame, () => checkDeferred(0, () => {
        found = true;
        this.onCover?.(member.loc);
        return this.evalTerm(member.value, frame, onValue);
      }));
      if (args && member.args) {
        const params = member.args;
        const bind = (i: number): boolean => {
          if (i === params.length) return body();
          if (params[i]!.type === "template") { deferred.push(i); return bind(i + 1); }
          return this.unifyValue(params[i]!, args[i]!, frame, () => bind(i + 1));
        };
        bind(0);
      } else body();
      if (found) return;
    }
  }

  /** Object built by ref-head rules: `p[k].x := v` entries, `p[k] contains v` set leaves. */
  private computeObject(rules: readonly Rule[]): Value | undefined {
    const obj = objectBuilder(rules);
    for (const r of rules) {
      const suffix = ruleSuffix(r);
      const f = new Frame();
      const out = r.kind === "set" ? r.key! : r.value;
      // Generated code gives the keys and value of each solution as one array (no frame writes).
      const pair = this.generatedCodeApplies() ? compiledRule(r.body, keysAndValue(r, suffix, out), this) : undefined;
      if (pair && pair(this, f, (kv) => { obj.insert(r, (kv as RArray).items); return false; }) !== BAIL) continue;
      const general = (): boolean => this.evalList(suffix, f, (keys) => this.evalTerm(out, f, (v) => { this.onCover?.(r.loc); obj.insert(r, [...keys, v]); return false; }));
      // Keys and value that cannot generate (the usual `p[k] := v`) are computed directly.
      const keyFns = suffix.map(directFn);
      const outFn = directFn(out);
      this.evalBody(r.body, 0, f, () => {
        const kv: Value[] = new Array<Value>(keyFns.length + 1);
        for (let i = 0; i < keyFns.length; i++) {
          const key = keyFns[i]!(this, f);
          if (key === GEN) return general();
          if (key === undefined) return false;
          kv[i] = key;
        }
        const v = outFn(this, f);
        if (v === GEN) return general();
        if (v === undefined) return false;
        this.onCover?.(r.loc);
        kv[keyFns.length] = v;
        obj.insert(r, kv);
        return false;
      });
    }
    return obj.build();
  }

  // ---- calls ------------------------------------------------------------------------------

  arityOf(op: string): number | undefined {
    return this.policy.arityOf(op);
  }

  /** Per-call-site facts (operand count, output operand), computed once per term. */
  /** @internal */
  callSite(t: Term & { type: "call" }): CallSite {
    let site = callSites.get(t);
    if (!site) {
      const arity = this.arityOf(t.op);
      const hasOut = arity !== undefined && arity >= 0 && t.args.length === arity + 1;
      site = { inputs: hasOut ? t.args.slice(0, arity) : t.args, out: hasOut ? t.args[arity] : undefined };
      callSites.set(t, site);
    }
    return site;
  }

  evalCall(t: Term & { type: "call" }, args: readonly Term[], f: Frame, k: KV): boolean {
    const cmp = COMPARISONS[t.op];
    if (cmp && args.length === 2 && !this.mocks.has(t.op)) {
      // Comparisons are total over all values: no builtin call, no operand arrays.
      if (argOrder(args)?.[0] === 1) return this.evalTerm(args[1]!, f, (b) => this.evalTerm(args[0]!, f, (a) => k(cmp(a, b))));
      return this.evalTerm(args[0]!, f, (a) => this.evalTerm(args[1]!, f, (b) => k(cmp(a, b))));
    }
    if (t.op === "internal.member_2" && args.length === 2 && !this.mocks.has(t.op)) {
      return this.evalTerm(args[0]!, f, (x) => this.evalTerm(args[1]!, f, (c) => k(c instanceof RSet ? c.has(x) : memberOf(x, c, undefined))));
    }
    if (t.op === "walk" && !this.mocks.has("walk")) return this.evalTerm(args[0]!, f, (v) => walkAll(v, k));
    if (t.op === "print" && !this.mocks.has("print")) {
      // As OPA rewrites it: each operand becomes the set of its values (empty: `<undefined>`).
      this.callBuiltin("internal.print", [new RArray(args.map((a) => this.valueSet(a, f)))], t);
      return k(true);
    }
    return this.evalArgs(args, f, (vals) => this.callValues(t.op, vals, t, k));
  }

  /** Evaluates call operands, refs first, so a generator can bind a var another operand uses. */
  private evalArgs(args: readonly Term[], f: Frame, k: (vs: Value[]) => boolean): boolean {
    const order = argOrder(args);
    if (!order) return this.evalList(args, f, k);
    const out: Value[] = new Array<Value>(args.length);
    const step = (j: number): boolean => {
      if (j === order.length) return k(out.slice());
      const i = order[j]!;
      return this.evalTerm(args[i]!, f, (v) => { out[i] = v; return step(j + 1); });
    };
    return step(0);
  }

  private callValues(op: string, vals: Value[], t: Term, k: KV): boolean {
    const mock = this.mocks.get(op);
    if (mock) {
      if (mock.kind === "value") return k(mock.value);
      const saved = this.mocks;
      // A replacement runs without mocks: a mock never calls another mock (nor itself).
      const none = new Map<string, FunctionMock>();
      this.mocks = none;
      try {
        return this.callValues(mock.op, vals, t, (v) => {
          this.mocks = saved;
          try { return k(v); } finally { this.mocks = none; }
        });
      } finally { this.mocks = saved; }
    }
    if (op === "internal.member_2") return memberOf(vals[0]!, vals[1]!, undefined) ? k(true) : k(false);
    if (op === "internal.member_3") return memberOf(vals[1]!, vals[2]!, vals[0]!) ? k(true) : k(false);
    if (op.startsWith("data.")) {
      const node = functionNode(this.policy, op);
      if (node?.isFunction) return this.callFunction(node, vals, k);
      throw RegoError.of("rego_type_error", `undefined function ${op}`, t.loc);
    }
    const out = this.callBuiltin(op, vals, t);
    return out === undefined ? false : k(out);
  }

  /** Calls a registered builtin: its value, or undefined (also for swallowed errors). */
  /** All values of a term, as a set (empty when undefined). */
  private valueSet(t: Term, f: Frame): RSet {
    const vs: Value[] = [];
    this.evalTerm(t, f, (x) => { vs.push(x); return false; });
    return RSet.from(vs);
  }

  /** @internal */
  callBuiltin(op: string, vals: Value[], t: Term): Value | undefined {
    const def = builtins.get(op);
    if (!def) throw RegoError.of("rego_type_error", `undefined function ${op}`, t.loc);
    return this.callBuiltinDef(def, vals, t);
  }

  /**
   * @internal `callBuiltin` for a definition the call site already looked up; `accept` is the
   * definition's {@link operandCheck}, which a call site can keep.
   */
  callBuiltinDef(def: BuiltinDef, vals: Value[], t: Term, accept = operandCheck(def)): Value | undefined {
    const op = def.name;
    // Operands of the wrong type can only fail: not strict, that is just undefined, without the
    // microseconds a thrown error costs (a null `after` of a deleted resource, say).
    if (!this.opts.strict && !accept(vals) && !this.opts.disabled.has(op)) return undefined;
    let out: Value | undefined;
    // Builtin errors are usually swallowed (undefined): capturing their stacks dominated the
    // cost of policies that call builtins on absent values, so none is captured.
    const stackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      out = def.fn(vals, this.bctx);
    } catch (e) {
      if (e instanceof BuiltinError) {
        if (this.opts.strict || e.halt) throw RegoError.of(e.code, e.message, t.loc);
        return undefined;
      }
      if (e instanceof RegoError) throw e;
      if (this.opts.strict) throw RegoError.of("eval_builtin_error", `${op}: ${e instanceof Error ? e.message : String(e)}`, t.loc);
      return undefined;
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
    return out;
  }

  /** @internal */
  callFunction(node: RuleNode, vals: Value[], k: KV): boolean {
    let candidates = node.rules;
    if (this.tracer) {
      candidates = matchedRules(node.rules.filter((r) => r.args!.length === vals.length), this.input, vals);
      this.tracer.index(node.path, candidates);
    }
    let result: Value | undefined;
    for (const r of candidates) {
      if (r.args!.length !== vals.length) continue;
      this.evalRuleChain(r, NO_BINDINGS, (v) => {
        if (result !== undefined && !equals(result, v)) throw conflict("functions must not produce multiple outputs for same inputs", r.loc);
        result = v;
        return false;
      }, vals);
    }
    if (result === undefined && node.defaultRule) {
      const d = node.defaultRule;
      this.evalRuleChain({ ...d, elses: [] }, new Frame(), (v) => { result = v; return true; }, vals);
    }
    return result === undefined ? false : k(result);
  }
}

/**
 * What builtins see of one evaluation. The memo is made on first use: few evaluations call a
 * builtin that memoizes (`uuid.rfc4122`, `rand.intn`), and every decision would pay for the Map.
 */
class EvalBuiltinContext implements BuiltinContext {
  readonly strict: boolean;
  readonly nowNs: bigint;
  readonly print: (line: string) => void;
  readonly disabled: ReadonlySet<string>;
  readonly sanitize: ((s: string) => string) | undefined;
  readonly note: ((message: string) => void) | undefined;
  private memo: Map<string, unknown> | undefined;

  constructor(opts: EvalOptions) {
    this.strict = opts.strict;
    this.nowNs = opts.nowNs;
    this.print = opts.print;
    this.disabled = opts.disabled;
    this.sanitize = opts.sanitize;
    const tracer = opts.tracer;
    this.note = tracer ? (m: string) => tracer.note(m) : undefined;
  }

  get cache(): Map<string, unknown> {
    return (this.memo ??= new Map());
  }
}

const refHeads = new WeakMap<RuleNode, boolean>();

/** Whether some rule of the node has a ref head beyond it (`p[k].x := v`): an object is built. */
function hasRefHeads(node: RuleNode): boolean {
  let v = refHeads.get(node);
  if (v === undefined) {
    v = node.rules.some((r) => ruleSuffix(r).length > 0);
    refHeads.set(node, v);
  }
  return v;
}

/** The outer frame of a function call: none (evalRuleChain copies it before binding). */
const NO_BINDINGS = new Frame();

const simpleParamCache = new WeakMap<readonly Term[], boolean>();

/** Whether function parameters are all plain vars (wildcards included). */
function simpleParams(params: readonly Term[]): boolean {
  let v = simpleParamCache.get(params);
  if (v === undefined) {
    v = params.every((p) => p.type === "var");
    simpleParamCache.set(params, v);
  }
  return v;
}

const pairs = new WeakMap<Rule, Term>();

/** The array term `[key..., value]` of an object rule's head, made once per rule (compiledRule caches by term). */
function keysAndValue(r: Rule, suffix: readonly Term[], out: Term): Term {
  let t = pairs.get(r);
  if (!t) {
    t = { type: "array", items: [...suffix, out], loc: r.loc };
    pairs.set(r, t);
  }
  return t;
}
