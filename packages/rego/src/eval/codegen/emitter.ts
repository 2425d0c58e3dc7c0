import type { Evaluator } from "../evaluator.js";

/** Thrown while generating code for a body the generator does not handle (the interpreter runs it). */
export const INELIGIBLE = Symbol("ineligible");

/**
 * The Rego vars visible at one point of a generated body: those bound so far (each a JS local)
 * and those `some x` declared but not yet bound. A comprehension body is a child scope: it sees
 * the enclosing vars, and its own end with it.
 */
export class Scope {
  /** Bound Rego var -> the JS local holding its value. */
  readonly vars = new Map<string, string>();
  /** Declared by `some x`, not bound yet: reading one would be iteration, left to the interpreter. */
  readonly declared = new Set<string>();
  /** JS locals to declare (`let`) at the start of this scope's block. */
  readonly decls: string[] = [];

  /**
   * @param isolated a function body inlined at a call: it sees its parameters only, never the
   *   caller's vars or frame.
   */
  constructor(readonly parent: Scope | undefined, readonly isolated = false) {}

  /** The JS local of a bound var, searching enclosing scopes. */
  find(name: string): string | undefined {
    for (let s = this as Scope | undefined; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
      if (s.declared.has(name)) return undefined;
    }
    return undefined;
  }

  /** Whether `some` declared `name` (not yet bound) here or in an enclosing scope. */
  isDeclared(name: string): boolean {
    for (let s = this as Scope | undefined; s; s = s.parent) {
      if (s.vars.has(name)) return false;
      if (s.declared.has(name)) return true;
    }
    return false;
  }

  /** The outermost scope (the body's own). */
  get root(): Scope {
    return this.parent ? this.parent.root : this;
  }
}

/**
 * Collects one generated function: its lines, the constants it closes over (AST nodes, values,
 * lookup caches, compiled helpers) and the vars it reads from, or binds in, the caller's frame.
 */
export class Emitter {
  readonly lines: string[] = [];
  readonly table: unknown[] = [];
  /** Vars read before the body binds them: the caller's frame must hold them (else BAIL). */
  readonly entry = new Map<string, string>();
  /** Every var the body binds, at any depth: the caller's frame must not hold them (else BAIL). */
  readonly binds = new Set<string>();
  private n = 0;

  constructor(readonly ev: Evaluator) {}

  /**
   * @internal Values computed once per run of the generated function and reused (rule
   * documents: without `with` they cannot change during one run): JS locals set on first use.
   */
  readonly hoisted = new Map<unknown, string>();
  /** How deep function bodies are inlined at this point. */
  inlining = 0;

  emit(line: string): void {
    this.lines.push(line);
  }

  /** A constant the generated code refers to by name. */
  constant(x: unknown): string {
    this.table.push(x);
    return `K${this.table.length - 1}`;
  }

  /** A fresh JS name. */
  fresh(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  /** Declares a JS local for Rego var `name`, bound from here on in scope `s`. */
  bind(s: Scope, name: string): string {
    if (name === "input" || name === "data") throw INELIGIBLE;
    const id = this.fresh("v");
    s.decls.push(id);
    s.vars.set(name, id);
    s.declared.delete(name);
    if (!s.root.isolated) this.binds.add(name);
    return id;
  }

  /** The JS local of a var read at this point: bound in scope, else one the caller's frame must hold. */
  read(s: Scope, name: string): string {
    const id = s.find(name);
    if (id !== undefined) return id;
    if (s.isDeclared(name) || name === "data" || s.root.isolated) throw INELIGIBLE;
    let e = this.entry.get(name);
    if (e === undefined) {
      e = this.fresh("e");
      this.entry.set(name, e);
      s.root.vars.set(name, e);
    }
    return e;
  }
}
