import { compile, RegoError } from "@gantry/rego";
import { AppError } from "../errors.js";
import type { PolicyChecker } from "./service.js";

/**
 * Compiles a policy body with Gantry's Rego engine, type checker included, before it is stored.
 * A body that does not compile is refused with the engine's errors, each with its row and
 * column, as field issues on `body`. Only PLAN policies get Spacelift's `sanitized()`; in any
 * other type a call is OPA's `undefined function` error, here at save time.
 */
export const checkPolicyCompiles: PolicyChecker = (body, regoVersion, file, type) => {
  try {
    compile({ modules: [{ file, source: body, regoVersion: regoVersion === "V0" ? 0 : 1 }], sanitized: type === "PLAN" });
  } catch (err) {
    if (!(err instanceof RegoError)) throw err;
    const issues = err.errors.map((e) => ({
      path: ["body"],
      message: `${e.code}: ${e.message}`,
      ...(e.location ? { row: e.location.row, col: e.location.col } : {}),
    }));
    throw new AppError("invalid", `policy does not compile: ${err.message}`, { issues });
  }
};
