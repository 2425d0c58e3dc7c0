import type { Value } from "../value/index.js";
import type { Term } from "../ast/types.js";
import type { Location } from "../errors.js";

/**
 * Variable bindings of one rule/function/query evaluation. Backtracking sets a var back to
 * undefined rather than deleting it: deletes leave tombstones that make V8 rehash the map.
 */
export type Frame = Map<string, Value | undefined>;

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
  onCover?: (loc: Location) => void;
}

/** A `with` target resolved at evaluation time. */
export type WithTarget =
  | { kind: "input"; path: Value[] }
  | { kind: "data"; path: string[] }
  | { kind: "function"; op: string; value: Term };
