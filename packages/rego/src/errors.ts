/** Where something is in Rego source: file name and 1-based row and column. */
export interface Location {
  file: string;
  row: number;
  col: number;
}

/** The closed set of error codes, named as OPA names them so callers can match on them. */
export type RegoErrorCode =
  | "rego_parse_error"
  | "rego_compile_error"
  | "rego_unsafe_var_error"
  | "rego_recursion_error"
  | "rego_type_error"
  | "eval_conflict_error"
  | "eval_type_error"
  | "eval_builtin_error"
  | "eval_cancel_error"
  | "eval_internal_error";

/** One problem found while parsing, compiling or evaluating a policy. */
export interface RegoErrorDetail {
  code: RegoErrorCode;
  message: string;
  location?: Location;
}

/** Formats a location the way OPA prints it: `file:row:col` (file omitted when empty). */
export function formatLocation(loc: Location | undefined): string {
  if (!loc) return "";
  return loc.file ? `${loc.file}:${loc.row}:${loc.col}` : `${loc.row}:${loc.col}`;
}

function formatDetail(d: RegoErrorDetail): string {
  // OPA prints evaluation errors at file:row, compile errors at file:row:col.
  const where = d.code.startsWith("eval_") && d.location ? `${d.location.file}:${d.location.row}` : formatLocation(d.location);
  return where ? `${where}: ${d.code}: ${d.message}` : `${d.code}: ${d.message}`;
}

/**
 * The one error type of `@gantry/rego`. `errors` holds every problem found (a compile can report
 * several at once); `code` and `message` mirror the first one.
 *
 * @example
 * try { compile({ modules: [{ file: "p.rego", source: "package p\np if {" }] }); }
 * catch (e) { if (e instanceof RegoError) console.log(e.code, e.errors.length); }
 */
export class RegoError extends Error {
  readonly code: RegoErrorCode;
  readonly errors: readonly RegoErrorDetail[];
  readonly location: Location | undefined;

  constructor(errors: RegoErrorDetail[]) {
    const first = errors[0] ?? { code: "eval_internal_error" as const, message: "unknown error" };
    super(
      errors.length > 1
        ? `${errors.length} errors occurred:\n${errors.map(formatDetail).join("\n")}`
        : formatDetail(first),
    );
    this.name = "RegoError";
    this.code = first.code;
    this.errors = errors.length > 0 ? errors : [first];
    this.location = first.location;
  }

  /** Builds an error with a single problem. */
  static of(code: RegoErrorCode, message: string, location?: Location): RegoError {
    return new RegoError([location ? { code, message, location } : { code, message }]);
  }
}
