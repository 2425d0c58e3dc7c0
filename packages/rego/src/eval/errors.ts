import { RegoError } from "../errors.js";
import type { Location } from "../errors.js";

/** Conflict raised when rules produce several values where one is allowed. */
export function conflict(message: string, loc?: Location): RegoError {
  return RegoError.of("eval_conflict_error", message, loc);
}

/** Raised when a type mismatch is found while evaluating (e.g. iterating a number). */
export function typeError(message: string, loc?: Location): RegoError {
  return RegoError.of("eval_type_error", message, loc);
}
