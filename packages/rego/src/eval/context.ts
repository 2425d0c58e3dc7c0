import type { Value } from "../value/index.js";
import type { Term } from "../ast/types.js";
import type { Location } from "../errors.js";

/** Above this many vars a frame also keeps a name -> slot map instead of scanning. */
const FRAME_LINEAR_MAX = 16;

/**
 * Variable bindings of one rule/function/query evaluation. Backtracking sets a var back to
 * undefined rather than deleting it, so a var keeps its slot. Frames hold a handful of vars:
 * scanning two small arrays (var names are interned by the lexer) costs less than a Map's
 * builtin calls, which dominated the evaluator's profile.
 */
export class Frame {
  private readonly names: string[] = [];
  private readonly vals: (Value | undefined)[] = [];
  private slots: Map<string, number> | undefined;

  private slot(name: string): number {
    if (this.slots) return this.slots.get(name) ?? -1;
    const names = this.names;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
    return -1;
  }

  /** The var's value, or undefined when unbound. */
  get(name: string): Value | undefined {
    const i = this.slot(name);
    return i < 0 ? undefined : this.vals[i];
  }

  /**
   * @internal The slot of `name`, or -1. `hint` is where a call site found it last time: frames
   * of one rule bind their vars in the same order, so the hint is usually right and no scan runs.
   */
  slotOf(name: string, hint: number): number {
    return this.names[hint] === name ? hint : this.slot(name);
  }

  /** @internal The value in a slot `slotOf` returned. */
  at(i: number): Value | undefined {
    return this.vals[i];
  }

  /** @internal Sets a slot `slotOf` or `bind` returned (undefined unbinds). */
  setAt(i: number, v: Value | undefined): void {
    this.vals[i] = v;
  }

  /** @internal Binds a var that has no slot yet; returns its new slot. */
  bind(name: string, v: Value): number {
    this.set(name, v);
    return this.slot(name);
  }

  /** Binds (or, with undefined, unbinds) a var. */
  set(name: string, v: Value | undefined): void {
    const i = this.slot(name);
    if (i >= 0) { this.vals[i] = v; return; }
    if (v === undefined) return;
    this.names.push(name);
    this.vals.push(v);
    if (this.slots) this.slots.set(name, this.names.length - 1);
    else if (this.names.length > FRAME_LINEAR_MAX) this.slots = new Map(this.names.map((n, j) => [n, j]));
  }

  /** The bound vars and their values, in binding order (what a trace event shows as locals). */
  bindings(): [string, Value][] {
    const out: [string, Value][] = [];
    for (let i = 0; i < this.names.length; i++) { const v = this.vals[i]; if (v !== undefined) out.push([this.names[i]!, v]); }
    return out;
  }

  /** Unbinds every var (keeping their slots), so the frame can be used again. */
  reset(): void {
    const vals = this.vals;
    for (let i = 0; i < vals.length; i++) vals[i] = undefined;
  }

  /** A copy whose later bindings do not affect this frame. */
  clone(): Frame {
    const c = new Frame();
    for (let i = 0; i < this.names.length; i++) { const v = this.vals[i]; if (v !== undefined) c.set(this.names[i]!, v); }
    return c;
  }
}

import type { Tracer } from "./trace.js";

/** Continuation: called once per solution; returns true to stop enumerating. */
export type K = () => boolean;
/** Continuation receiving a value. */
export type KV = (v: Value) => boolean;

/** A `with` replacement of a function or builtin: another function, or a constant value. */
export type FunctionMock = { kind: "function"; op: string } | { kind: "value"; value: Value };

/** Per-evaluation knobs. */
export interface EvalOptions {
  input: Value | undefined;
  data: Value;
  strict: boolean;
  nowNs: bigint;
  print: (line: string) => void;
  disabled: ReadonlySet<string>;
  maxSteps: number;
  /** Absolute deadline (ms since epoch), or Infinity. */
  deadline: number;
  /** Coverage hook: called with each expression evaluated and each rule that produced a value. */
  onCover?: ((loc: Location) => void) | undefined;
  /** Spacelift's sanitization hash for `sanitized()`. */
  sanitize?: ((s: string) => string) | undefined;
  /** Records OPA-style trace events (`--explain`); evaluation takes the general path throughout. */
  tracer?: Tracer | undefined;
}

/** A `with` target resolved at evaluation time. */
export type WithTarget =
  | { kind: "input"; path: Value[] }
  | { kind: "data"; path: string[] }
  | { kind: "function"; op: string; value: Term };
