import type { Value } from "../value/index.js";

/** What a builtin may see of the evaluation that calls it. */
export interface BuiltinContext {
  /** Strict builtin errors: errors are raised instead of making the call undefined. */
  strict: boolean;
  /** `time.now_ns` for this evaluation, fixed for the whole query. */
  nowNs: bigint;
  /** Sink for `print`. */
  print(line: string): void;
  /** Builtins that must fail when called (e.g. `http.send`, `opa.runtime` on the platform). */
  disabled: ReadonlySet<string>;
  /** Spacelift's sanitization hash for `sanitized()`; a keyless SHA-256 when not given. */
  sanitize?: (s: string) => string;
  /** Per-query memo (compiled regexes, parsed keys, ...). */
  cache: Map<string, unknown>;
  /** Records a `trace()` note when the evaluation is traced (`--explain`). */
  note?: (message: string) => void;
}

/** One builtin function. */
export interface BuiltinDef {
  /** Name as called from Rego, e.g. `strings.split_n`, `plus`, `count`. */
  name: string;
  /** Number of operands, not counting the output. */
  arity: number;
  /** Returns a Value, or undefined for "undefined". Throws {@link BuiltinError} for errors. */
  fn(args: Value[], ctx: BuiltinContext): Value | undefined;
  /** v0-only builtins (`any`, `all`, `re_match`, `set_diff`, `cast_*`, ...). */
  deprecated?: boolean;
  /** Results may differ between calls with the same arguments. */
  nondeterministic?: boolean;
  /** Operand types for the compiler's simple checks. */
  argTypes?: readonly string[];
}

/** The two kinds of builtin failure, named as OPA names them. */
export type BuiltinErrorCode = "eval_type_error" | "eval_builtin_error";

/**
 * A builtin failed. `eval_type_error` for an operand of the wrong type, `eval_builtin_error`
 * otherwise. Messages carry the builtin's name once the registry has wrapped the call
 * (`plus: operand 1 must be number but got string`). `halt` errors are raised even when builtin
 * errors are not strict (a disabled builtin must never quietly be undefined).
 */
export class BuiltinError extends Error {
  readonly code: BuiltinErrorCode;
  readonly halt: boolean;

  constructor(code: BuiltinErrorCode, message: string, halt = false) {
    // Policy errors need no JS stack, and capturing one made a failed call cost ~20 µs; in
    // non-strict mode such failures are routine (they just make the call undefined).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = "BuiltinError";
    this.code = code;
    this.halt = halt;
  }
}

/** Signals that a builtin's result is undefined from deep inside a helper. */
export class Undefined extends Error {
  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super("undefined");
    Error.stackTraceLimit = limit;
  }
}

/**
 * Wraps a builtin so every error it raises is a BuiltinError whose message starts with the
 * builtin's name, as OPA reports them, and so helpers may throw {@link Undefined}.
 */
export function wrapBuiltin(def: BuiltinDef): BuiltinDef {
  const { name, fn } = def;
  const prefix = `${name}: `;
  return {
    ...def,
    fn(args, ctx) {
      try {
        return fn(args, ctx);
      } catch (e) {
        if (e instanceof Undefined) return undefined;
        if (e instanceof BuiltinError) {
          if (!e.message.startsWith(prefix)) e.message = prefix + e.message;
          throw e;
        }
        if (e instanceof RangeError && /call stack/.test(e.message)) throw e;
        throw new BuiltinError("eval_builtin_error", prefix + (e instanceof Error ? e.message : String(e)));
      }
    },
  };
}
