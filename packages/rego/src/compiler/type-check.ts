import type { Body, Expr, Rule, Term } from "../ast/types.js";
import type { RegoErrorDetail } from "../errors.js";
import { RArray, RNumber, RObject, RSet, toJSONText } from "../value/index.js";
import type { Value } from "../value/index.js";
import { builtinDecl } from "../types/builtin-decls.js";
import { T_ANY, T_BOOL, T_NULL, T_NUM, T_STR, argsString, arraySelect, arrayOf, objectOf, or, setOf, typeString, unifies } from "../types/types.js";
import type { Named, Type } from "../types/types.js";
import type { RuleNode } from "./rule-tree.js";
import { ruleSuffix } from "./rule-tree.js";

/** Local variables' types within one body; a missing name is an unbound variable. */
type Env = Map<string, Type | undefined>;

/** The type of a rule node: a value type, or a function's result type and arity. */
interface NodeType { type: Type | undefined; arity?: number; args?: (Type | undefined)[] }

const PENDING: NodeType = { type: T_ANY };

function scalarType(v: Value): Type {
  if (v === null) return T_NULL;
  if (typeof v === "boolean") return T_BOOL;
  if (typeof v === "string") return T_STR;
  if (v instanceof RNumber) return T_NUM;
  if (v instanceof RArray) return arrayOf(undefined, v.items.map(scalarType));
  if (v instanceof RSet) return setOf(v.values().map(scalarType).reduce<Type | undefined>((a, b) => or(a, b), undefined) ?? T_ANY);
  if (v instanceof RObject) return objectOf(v.entries().map(([k, x]) => [typeof k === "string" ? k : toJSONText(k), scalarType(x)]));
  return T_ANY;
}

/** Type of the keys used to iterate a collection of type t (`xs[i]`, `some i, _ in xs`). */
function keyType(t: Type | undefined): Type {
  if (!t) return T_ANY;
  switch (t.k) {
    case "array": return T_NUM;
    case "object": return or(t.static.length > 0 ? T_STR : undefined, t.dynamic?.key) ?? T_ANY;
    case "set": return t.of;
    default: return T_ANY;
  }
}

/** Type of the element found at `key` in a collection of type t; `any` when unknown. */
function elementType(t: Type | undefined, key?: Term): Type {
  if (!t) return T_ANY;
  switch (t.k) {
    case "array": {
      if (key?.type === "scalar" && key.value instanceof RNumber) {
        const i = Number(key.value.toString());
        if (Number.isInteger(i) && i >= 0) return arraySelect(t, i) ?? T_ANY;
      }
      return [...t.static, t.dynamic].reduce<Type | undefined>((a, b) => or(a, b), undefined) ?? T_ANY;
    }
    case "object": {
      if (key?.type === "scalar" && typeof key.value === "string") {
        const s = t.static.find(([k]) => k === key.value);
        if (s) return s[1] ?? T_ANY;
        return t.dynamic?.value ?? T_ANY;
      }
      return [...t.static.map(([, v]) => v), t.dynamic?.value].reduce<Type | undefined>((a, b) => or(a, b), undefined) ?? T_ANY;
    }
    case "set": return t.of;
    default: return T_ANY;
  }
}

function plural(n: number): string { return n === 1 ? "argument" : "arguments"; }

/**
 * OPA's type checker as a compiler stage: infers the types of rules and local variables across
 * the module set and refuses builtin and function calls that can never succeed (wrong arity,
 * operand types outside the declaration) and unifications of incompatible types, with OPA's
 * messages (`count: invalid argument(s)` with `have:`/`want:` lines). `input` and base `data`
 * are `any`. It only refuses what OPA refuses; where OPA would infer more precisely than this
 * checker, the checker errs on the side of `any`.
 */
export class TypeChecker {
  private readonly nodeTypes = new Map<RuleNode, NodeType>();

  constructor(private readonly root: RuleNode, private readonly errors: RegoErrorDetail[]) {}

  /** Checks every rule of the tree. */
  checkAll(): void {
    for (const node of this.root.ruleNodes()) this.nodeType(node);
  }

  /** Checks a query's body (variables start unbound). */
  checkQuery(body: Body): void {
    this.checkBody(body, new Map());
  }

  private nodeType(node: RuleNode): NodeType {
    const known = this.nodeTypes.get(node);
    if (known) return known;
    // Recursion through `with` or mutually dependent rules: type the inner use as any.
    this.nodeTypes.set(node, PENDING);
    const rules = node.defaultRule ? [...node.rules, node.defaultRule] : node.rules;
    let type: Type | undefined;
    let arity: number | undefined;
    let args: (Type | undefined)[] | undefined;
    let object = false;
    for (const r of rules) {
      const t = this.checkRule(r);
      if (r.kind === "function") {
        arity = r.args?.length;
        // Several definitions (and else branches): each argument may have any of their types.
        args = t.args.map((a, i) => (args ? or(args[i], a) : a));
      }
      if (r.kind === "complete" && ruleSuffix(r).length > 0) object = true;
      type = or(type, t.value);
    }
    const result: NodeType = { type: object ? objectOf([], { key: T_ANY, value: T_ANY }) : type, ...(arity !== undefined ? { arity } : {}), ...(args ? { args } : {}) };
    this.nodeTypes.set(node, result);
    return result;
  }

  /**
   * Checks one rule (and its else chain); returns the type of the value it contributes and, for
   * a function, its arguments' types: as OPA, an argument takes the type its first use in the
   * body gives it (`upper(x)` makes x a string), and `any` when the body does not constrain it.
   */
  private checkRule(rule: Rule): { value: Type | undefined; args: (Type | undefined)[] } {
    const env: Env = new Map();
    this.checkBody(rule.body, env);
    const head = (): Type | undefined => {
      for (const p of ruleSuffix(rule)) this.typeOf(p, env);
      return rule.kind === "set" ? setOf(this.typeOf(rule.key!, env) ?? T_ANY) : this.typeOf(rule.value, env);
    };
    // OPA moves calls out of the head into the body, so `f(x) := upper(x)` makes x a string:
    // the head is checked once with the arguments as the body left them (errors kept), then
    // typed again with the still unconstrained ones as any (`f(x) := [x]` is array<any>).
    head();
    for (const a of rule.args ?? []) this.bindAnyIfUnbound(a, env);
    const kept = this.errors.length;
    let t = head();
    this.errors.length = kept;
    const args: (Type | undefined)[] = (rule.args ?? []).map((a) => this.argType(a, env));
    for (const e of rule.elses) {
      const other = this.checkRule(e);
      t = or(t, other.value);
      other.args.forEach((a, i) => { args[i] = or(args[i], a); });
    }
    return { value: t, args };
  }

  private bindAnyIfUnbound(t: Term, env: Env): void {
    if (t.type === "var") { if (!env.has(t.name)) env.set(t.name, T_ANY); }
    else if (t.type === "array") t.items.forEach((x) => this.bindAnyIfUnbound(x, env));
    else if (t.type === "object") t.entries.forEach(([, v]) => this.bindAnyIfUnbound(v, env));
  }

  /** A function argument's type after its body: unconstrained variables are any. */
  private argType(t: Term, env: Env): Type {
    if (t.type === "var") return env.get(t.name) ?? T_ANY;
    if (t.type === "array") return arrayOf(undefined, t.items.map((x) => this.argType(x, env)));
    if (t.type === "object" || t.type === "set") return this.typeOf(t, env) ?? T_ANY;
    return this.typeOf(t, env) ?? T_ANY;
  }

  private checkBody(body: Body, env: Env): void {
    for (const e of body) this.checkExpr(e, e.negated ? new Map(env) : env);
  }

  private checkExpr(e: Expr, env: Env): void {
    for (const w of e.withs) this.typeOf(w.value, env);
    switch (e.kind) {
      case "term":
        if (e.term.type === "call") this.checkCall(e.term, env, false);
        else this.typeOf(e.term, env);
        return;
      case "unify":
        if (e.op === ":=") this.forget(e.left, env);
        this.unify2(e.left, e.right, env, e.loc);
        return;
      case "some":
        for (const v of e.vars) env.delete(v.name);
        return;
      case "somein": {
        const d = this.typeOf(e.domain, env);
        this.forget(e.value, env);
        if (e.key) { this.forget(e.key, env); this.unify1(e.key, keyType(d), env); }
        this.unify1(e.value, elementType(d), env);
        return;
      }
      case "every": {
        const d = this.typeOf(e.domain, env);
        const inner: Env = new Map(env);
        this.forget(e.value, inner);
        if (e.key) { this.forget(e.key, inner); this.unify1(e.key, keyType(d), inner); }
        this.unify1(e.value, elementType(d), inner);
        this.checkBody(e.body, inner);
        return;
      }
    }
  }

  /** `:=` and `some ... in` declare fresh variables. */
  private forget(t: Term, env: Env): void {
    if (t.type === "var") env.delete(t.name);
    else if (t.type === "array") t.items.forEach((x) => this.forget(x, env));
    else if (t.type === "object") t.entries.forEach(([, v]) => this.forget(v, env));
  }

  private isUnbound(t: Term, env: Env): boolean {
    return t.type === "var" && t.name !== "input" && t.name !== "data" && !env.has(t.name);
  }

  /** OPA's unify1: binds unbound variables of `t` from `expected`; false if they cannot match. */
  private unify1(t: Term, expected: Type | undefined, env: Env): boolean {
    if (this.isUnbound(t, env)) { env.set((t as { name: string }).name, expected ?? T_ANY); return true; }
    if (t.type === "array" && expected?.k === "array") {
      let ok = t.items.length === expected.static.length || expected.dynamic !== undefined || expected.static.length === 0 && expected.dynamic === undefined;
      t.items.forEach((x, i) => { if (!this.unify1(x, arraySelect(expected, i) ?? T_ANY, env)) ok = false; });
      return ok;
    }
    if (t.type === "array" || t.type === "object" || t.type === "set") {
      const sub = expected && expected.k !== "any" ? undefined : T_ANY;
      if (t.type === "object" && expected?.k === "object") {
        for (const [k, v] of t.entries) this.unify1(v, elementType(expected, k), env);
      } else if (sub) {
        if (t.type === "object") t.entries.forEach(([, v]) => this.unify1(v, T_ANY, env));
        else t.items.forEach((x) => this.unify1(x, T_ANY, env));
      }
    }
    return unifies(this.typeOf(t, env), expected);
  }

  private unify2(a: Term, b: Term, env: Env, loc: Term["loc"]): void {
    const aFree = this.isUnbound(a, env);
    const bFree = this.isUnbound(b, env);
    if (aFree && !bFree) { this.unify1(a, this.typeOf(b, env), env); return; }
    if (bFree && !aFree) { this.unify1(b, this.typeOf(a, env), env); return; }
    if (aFree && bFree) { this.unify1(a, T_ANY, env); this.unify1(b, T_ANY, env); return; }
    if (a.type === "array" && b.type === "array" && a.items.length === b.items.length) {
      a.items.forEach((x, i) => this.unify2(x, b.items[i]!, env, loc));
      return;
    }
    const ta = this.typeOf(a, env);
    const tb = this.typeOf(b, env);
    if (!unifies(ta, tb)) {
      this.errors.push({ code: "rego_type_error", message: `match error\n\tleft  : ${typeString(ta)}\n\tright : ${typeString(tb)}`, location: loc });
      return;
    }
    this.unify1(a, tb, env);
    this.unify1(b, ta, env);
  }

  /** The type of a term; binds iteration variables met in refs (`xs[i]`). */
  private typeOf(t: Term, env: Env): Type | undefined {
    switch (t.type) {
      case "scalar": return scalarType(t.value);
      case "var":
        if (t.name === "input" || t.name === "data") return T_ANY;
        return env.get(t.name);
      case "ref": return this.refType(t, env);
      case "array": return arrayOf(undefined, t.items.map((x) => this.typeOf(x, env)));
      case "set": return setOf(t.items.map((x) => this.typeOf(x, env)).reduce<Type | undefined>((a, b) => or(a, b ?? T_ANY), undefined) ?? T_ANY);
      case "object": {
        const entries = t.entries.map(([k, v]) => [k, this.typeOf(k, env), this.typeOf(v, env)] as const);
        if (entries.every(([k]) => k.type === "scalar")) {
          return objectOf(entries.map(([k, , v]) => [typeof (k as { value: Value }).value === "string" ? (k as { value: string }).value : toJSONText((k as { value: Value }).value), v]));
        }
        const key = entries.reduce<Type | undefined>((a, [, k]) => or(a, k ?? T_ANY), undefined) ?? T_ANY;
        const value = entries.reduce<Type | undefined>((a, [, , v]) => or(a, v ?? T_ANY), undefined) ?? T_ANY;
        return objectOf([], { key, value });
      }
      case "call": return this.checkCall(t, env, true);
      case "arraycomp": { const inner: Env = new Map(env); this.checkBody(t.body, inner); return arrayOf(this.typeOf(t.term, inner) ?? T_ANY); }
      case "setcomp": { const inner: Env = new Map(env); this.checkBody(t.body, inner); return setOf(this.typeOf(t.term, inner) ?? T_ANY); }
      case "objectcomp": {
        const inner: Env = new Map(env);
        this.checkBody(t.body, inner);
        return objectOf([], { key: this.typeOf(t.key, inner) ?? T_ANY, value: this.typeOf(t.value, inner) ?? T_ANY });
      }
      case "template":
        for (const p of t.parts) if (typeof p !== "string") this.typeOf(p, env);
        return T_STR;
    }
  }

  private refType(t: Term & { type: "ref" }, env: Env): Type | undefined {
    let i = 0;
    let type: Type | undefined;
    if (t.head.type === "var" && t.head.name === "data") {
      // Walk the rule tree as far as the path is constant; below a rule, index its type.
      let node: RuleNode = this.root;
      for (; i < t.path.length; i++) {
        const p = t.path[i]!;
        if (node.hasRules) break;
        if (p.type !== "scalar" || typeof p.value !== "string") { type = T_ANY; break; }
        const next = node.children.get(p.value);
        if (!next) { type = T_ANY; i++; break; }
        node = next;
      }
      if (type === undefined) type = node.hasRules ? (node.isFunction ? T_ANY : this.nodeType(node).type) : T_ANY;
    } else {
      type = t.head.type === "var" && t.head.name === "input" ? T_ANY : this.typeOf(t.head, env) ?? T_ANY;
    }
    for (; i < t.path.length; i++) {
      const p = t.path[i]!;
      if (this.isUnbound(p, env)) env.set((p as { name: string }).name, keyType(type));
      else this.typeOf(p, env);
      type = elementType(type, p);
    }
    return type;
  }

  /**
   * Checks a call; `nested` calls (a call used as a value) have an implicit output operand.
   * Returns the call's result type.
   */
  private checkCall(t: Term & { type: "call" }, env: Env, nested: boolean): Type | undefined {
    if (t.op.startsWith("data.")) return this.checkFunctionCall(t, env, nested);
    const decl = builtinDecl(t.op);
    if (!decl) { t.args.forEach((a) => this.typeOf(a, env)); return T_ANY; }
    if (decl.variadic) { t.args.forEach((a) => this.typeOf(a, env)); return decl.result?.type; }
    const arity = decl.args.length;
    const operands = t.args.length + (nested ? 1 : 0);
    const have = (): string => `(${[...t.args.map((a) => typeString(this.typeOf(a, env))), ...(nested ? ["???"] : [])].join(", ")})`;
    if (nested ? operands !== arity + 1 : operands !== arity && operands !== arity + 1) {
      this.errors.push({ code: "rego_type_error", message: `${t.op}: arity mismatch\n\thave: ${have()}\n\twant: ${argsString(decl.args)}`, location: t.loc });
      return decl.result?.type;
    }
    const fargs: Named[] = decl.result ? [...decl.args, decl.result] : [...decl.args];
    for (let i = 0; i < t.args.length; i++) {
      if (!this.unify1(t.args[i]!, fargs[i]?.type, env)) {
        this.errors.push({ code: "rego_type_error", message: `${t.op}: invalid argument(s)\n\thave: ${have()}\n\twant: ${argsString(fargs)}`, location: t.loc });
        break;
      }
    }
    return decl.result?.type;
  }

  private checkFunctionCall(t: Term & { type: "call" }, env: Env, nested: boolean): Type | undefined {
    const node = this.root.find(t.op.split(".").slice(1));
    t.args.forEach((a) => { if (!this.isUnbound(a, env)) this.typeOf(a, env); });
    if (!node?.isFunction) return T_ANY;
    const { type, arity, args } = this.nodeType(node);
    if (arity === undefined) return T_ANY;
    const n = t.args.length;
    if (nested ? n !== arity : n !== arity && n !== arity + 1) {
      this.errors.push({ code: "rego_type_error", message: `function ${t.op} has arity ${arity}, got ${n} ${plural(n)}`, location: t.loc });
      return type;
    }
    const want: Named[] = [...(args ?? []).map((a) => ({ type: a ?? T_ANY })), { type: type ?? T_ANY }];
    for (let i = 0; i < n; i++) {
      if (!this.unify1(t.args[i]!, want[i]?.type, env)) {
        const have = [...t.args.map((a) => typeString(this.typeOf(a, env))), ...(nested ? ["???"] : [])];
        this.errors.push({ code: "rego_type_error", message: `${t.op}: invalid argument(s)\n\thave: (${have.join(", ")})\n\twant: ${argsString(want)}`, location: t.loc });
        break;
      }
    }
    return type;
  }
}
