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
    const hint = regoVersion === "V1" && compilesAsV0(body, file)
      ? ' (this is Rego v0 syntax: keep it with regoVersion "V0" in the API, --rego-version V0 in the CLI or rego_version = "V0" in the Terraform provider, or move it to v1 with `import rego.v1` and the `if`/`contains` keywords)'
      : "";
    throw new AppError("invalid", `policy does not compile: ${err.message}${hint}`, { issues });
  }
};

/** True when the body compiles as Rego v0: a v1 parse error then most likely means "written for v0". */
function compilesAsV0(body: string, file: string): boolean {
  try {
    compile({ modules: [{ file, source: body, regoVersion: 0 }] });
    return true;
  } catch {
    return false;
  }
}
