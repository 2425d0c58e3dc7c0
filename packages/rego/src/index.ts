/**
 * `@gantry/rego`: an in-process, OPA-compatible Rego engine.
 *
 * @example
 * import { compile } from "@gantry/rego";
 * const policy = compile({ modules: [{ file: "p.rego", source: "package p\nallow if input.x == 1" }] });
 * const q = policy.prepare("data.p.allow");
 * q.eval({ input: { x: 1 } }); // [{ expressions: [{ value: true, ... }], bindings: Map {} }]
 */
import { RArray, RNumber, RObject, RSet, fromJS, fromJSONText } from "./value/index.js";
import type { Value } from "./value/index.js";
import { compileModules } from "./compiler/compiler.js";
import type { CompiledPolicy, ModuleSource } from "./compiler/compiler.js";
import { CompiledQuery } from "./eval/query.js";
import type { QueryResult } from "./eval/query.js";
import type { Location } from "./errors.js";
import { Tracer } from "./eval/trace.js";
import type { TraceEvent } from "./eval/trace.js";

export { formatTrace, lineage, explainEvents } from "./eval/trace.js";
export { traceJSON } from "./eval/trace-json.js";
export type { TraceEvent, ExplainMode } from "./eval/trace.js";

export { RegoError, formatLocation } from "./errors.js";
export type { Location, RegoErrorCode, RegoErrorDetail } from "./errors.js";
export type { ModuleSource } from "./compiler/compiler.js";
export type { QueryResult, ExpressionValue } from "./eval/query.js";
export { parseModule, parseQuery, parseTerm } from "./parser/module-parser.js";
export * from "./value/index.js";
export { sanitizeString, sanitizeValue } from "./builtins/index.js";

/** Limits that stop runaway policies with an `eval_cancel_error`. */
export interface EvalLimits {
  /** Maximum evaluation steps (expressions evaluated); default 10,000,000. */
  maxSteps?: number;
  /** Maximum wall-clock time of one evaluation, in milliseconds; default 5,000. */
  maxTimeMs?: number;
}

/** Options of one evaluation. */
export interface EvalInput extends EvalLimits {
  /** The input document: a Value, or plain JSON-like JS (converted with `fromJS`). */
  input?: unknown;
  /** Replaces the base data set with `setData` for this evaluation only. */
  data?: unknown;
  /** Raise builtin errors instead of treating them as undefined (OPA's strict-builtin-errors). */
  strictBuiltinErrors?: boolean;
  /** The value `time.now_ns()` returns; defaults to the clock at the start of evaluation. */
  nowNs?: bigint;
  /** Receives each `print()` line; defaults to discarding them. */
  print?: (line: string) => void;
  /** Coverage hook: called with the location of each expression evaluated and rule that held. */
  onCover?: (loc: Location) => void;
  /**
   * Spacelift's sanitization hash used by `sanitized()` (the server passes its keyed hash, so
   * the builtin agrees with the sanitized plan input); defaults to a keyless SHA-256 prefix.
   */
  sanitize?: (s: string) => string;
}

/** Options of `compile`. */
export interface CompileOptions extends EvalLimits {
  modules: ModuleSource[];
  /** Base data (`data.*` not defined by rules). */
  data?: unknown;
  /** Builtins that raise an error when called, e.g. `http.send` for platform policies. */
  disabledBuiltins?: Iterable<string>;
  /**
   * Provide Spacelift's `sanitized()` builtin (PLAN policies). Without it, a call is OPA's
   * `rego_type_error: undefined function sanitized`, refused at compile time.
   */
  sanitized?: boolean;
}

const discard = (): void => {};

// time.now_ns() of evaluations started in the same millisecond: one BigInt, not one per decision.
let lastMs = 0;
let lastNs = 0n;
function nowNs(ms: number): bigint {
  if (ms !== lastMs) { lastMs = ms; lastNs = BigInt(ms) * 1_000_000n; }
  return lastNs;
}

function toValue(x: unknown): Value {
  if (x instanceof RObject) return x;
  if (x === undefined) return RObject.empty;
  return isValue(x) ? x : fromJS(x);
}

function isValue(x: unknown): x is Value {
  return x === null || typeof x === "boolean" || typeof x === "string" || x instanceof RNumber || x instanceof RArray || x instanceof RObject || x instanceof RSet;
}

/** A prepared query over a compiled policy: parse and safety checks are done once. */
export class PreparedQuery {
  constructor(private policy: Policy, private query: CompiledQuery) {}

  /**
   * Evaluates the query. Returns one result per solution; `[]` means undefined.
   *
   * @example
   * const rs = policy.prepare("data.spacelift.deny").eval({ input, nowNs: 1700000000000000000n });
   */
  eval(opts: EvalInput = {}): QueryResult[] {
    return this.run(opts);
  }

  /**
   * Evaluates with OPA's tracing (`opa eval --explain`): the results and the trace events;
   * `formatTrace(trace, "full" | "debug" | "notes" | "fails")` prints them as OPA does. Slower than `eval`.
   *
   * @example
   * const { trace } = policy.prepare("data.spacelift.deny").explain({ input });
   * process.stdout.write(formatTrace(trace, "fails"));
   */
  explain(opts: EvalInput = {}): { results: QueryResult[]; trace: TraceEvent[] } {
    const tracer = new Tracer(this.policy.compiled.modules.flatMap((m) => m.rules));
    const results = this.run(opts, tracer);
    return { results, trace: tracer.events };
  }

  private run(opts: EvalInput, tracer?: Tracer): QueryResult[] {
    const started = Date.now();
    // One object shape per evaluation (no conditional spreads): this runs for every decision.
    return this.query.run({
      input: opts.input === undefined ? undefined : toValue(opts.input),
      data: opts.data === undefined ? this.policy.data : toValue(opts.data),
      strict: opts.strictBuiltinErrors ?? false,
      nowNs: opts.nowNs ?? nowNs(started),
      print: opts.print ?? discard,
      disabled: this.policy.disabled,
      maxSteps: opts.maxSteps ?? this.policy.limits.maxSteps ?? 10_000_000,
      deadline: started + (opts.maxTimeMs ?? this.policy.limits.maxTimeMs ?? 5_000),
      onCover: opts.onCover,
      sanitize: opts.sanitize,
      tracer,
    });
  }

  /** The query's source text. */
  get source(): string { return this.query.source; }
}

/** A compiled set of modules plus base data. */
export class Policy {
  data: Value;
  readonly disabled: ReadonlySet<string>;

  constructor(readonly compiled: CompiledPolicy, opts: CompileOptions) {
    this.data = toValue(opts.data);
    this.disabled = new Set(opts.disabledBuiltins ?? []);
    this.limits = { maxSteps: opts.maxSteps, maxTimeMs: opts.maxTimeMs };
  }

  readonly limits: EvalLimits;

  /** Replaces the base data (JS values or a Value; JSON text via `fromJSONText`). */
  setData(data: unknown): void { this.data = toValue(data); }

  /** Parses and checks a query once for repeated evaluation. Throws RegoError on bad queries. */
  prepare(query: string): PreparedQuery { return new PreparedQuery(this, new CompiledQuery(this.compiled, query)); }

  /** Shorthand for `prepare(query).eval(opts)`. */
  eval(query: string, opts?: EvalInput): QueryResult[] { return this.prepare(query).eval(opts); }
}

/**
 * Compiles modules (each with its own Rego version, default v1). Throws a RegoError listing
 * every problem found (`rego_parse_error`, `rego_compile_error`, `rego_unsafe_var_error`, ...).
 *
 * @example
 * const policy = compile({
 *   modules: [{ file: "legacy.rego", source: "package x\np { true }", regoVersion: 0 }],
 *   disabledBuiltins: ["http.send", "opa.runtime"],
 * });
 */
export function compile(opts: CompileOptions): Policy {
  return new Policy(compileModules(opts.modules, { sanitized: opts.sanitized ?? false }), opts);
}

/** Parses JSON text into a Value without losing number precision. */
export function parseJSON(text: string): Value { return fromJSONText(text); }

export { runTests, testExitCode, formatTestsPretty, formatTestsJSON, formatDuration, coverageThresholdMessage, discoverTests } from "./tester/index.js";
export type { TestReport, TestResult, TestRunOptions, DiscoveredTest, CoverageReport, FileCoverage, RowRange } from "./tester/index.js";
export { formatEvalResults, formatExplainedJSON, formatEvalError, evalResultValue, evalErrorValue, loadPolicyFiles, EVAL_FORMATS, checkPolicies, formatCheckErrors } from "./cli-format/index.js";
export type { CheckOptions } from "./cli-format/index.js";
export type { EvalFormat, LoadedFiles } from "./cli-format/index.js";
export { formatModule } from "./format/index.js";
export type { FormatOptions } from "./format/index.js";
