import type { PolicyCheck, PolicyCheckError } from "@gantry/contract";
import { checkPolicies, runTests, RegoError, type RegoErrorDetail } from "@gantry/rego";

const POLICY_FILE = "policy.rego";
const TESTS_FILE = "policy_test.rego";
/** Per-test limit: the check runs on the request path, as the person types. */
const TEST_TIMEOUT_MS = 2_000;

function located(d: RegoErrorDetail): PolicyCheckError {
  const file = d.location?.file === POLICY_FILE ? "policy" : d.location?.file === TESTS_FILE ? "tests" : null;
  return { code: d.code, message: d.message, file, row: d.location?.row ?? null, col: d.location?.col ?? null };
}

/**
 * Compiles a policy body as the server would on save (type checker included; `sanitized()` only
 * for PLAN policies), and with a test module runs its `test_` rules like `gantry policy test`.
 * Nothing is stored: this is the policy editor's check as a person types.
 */
export function checkPolicyBody(input: { body: string; type: string; regoVersion: "V0" | "V1"; tests?: string | undefined }): PolicyCheck {
  const regoVersion = input.regoVersion === "V0" ? 0 : 1;
  const modules = [{ file: POLICY_FILE, source: input.body, regoVersion: regoVersion as 0 | 1 }];
  if (input.tests?.trim()) modules.push({ file: TESTS_FILE, source: input.tests, regoVersion: regoVersion as 0 | 1 });
  const sanitized = input.type === "PLAN";
  const errors = checkPolicies(modules, { sanitized }).map(located);
  if (errors.length > 0 || modules.length === 1) return { errors, tests: null };
  try {
    const report = runTests({ modules, sanitized, timeoutMs: TEST_TIMEOUT_MS });
    return {
      errors: [],
      tests: report.results.map((r) => ({
        name: `${r.package}.${r.name}`,
        outcome: r.skip ? "skip" : r.error ? "error" : r.fail ? "fail" : "pass",
        message: r.error ? `${r.error.code}: ${r.error.message}` : (r.output ?? null),
        durationMs: r.duration / 1e6,
      })),
    };
  } catch (err) {
    if (err instanceof RegoError) return { errors: err.errors.map(located), tests: null };
    throw err;
  }
}
