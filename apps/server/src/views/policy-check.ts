import type { PolicyCheck, PolicyCheckError } from "@gantry/contract";
import { checkPolicies, runTests, RegoError, type RegoErrorDetail } from "@gantry/rego";
import { chooseRegoVersion, type RegoVersionName } from "../policies/rego-version-detect.js";

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
export function checkPolicyBody(input: { body: string; type: string; regoVersion?: RegoVersionName | undefined; detectFrom?: RegoVersionName; tests?: string | undefined }): PolicyCheck {
  // Without a version, the one a save would store: the check then refuses exactly what the save
  // refuses, so a Rego v0 body pasted over a v1 policy is not blocked before detection can run.
  const chosen = chooseRegoVersion({ body: input.body, tests: input.tests ?? "", file: POLICY_FILE, type: input.type }, input.regoVersion, input.detectFrom ?? "V1");
  return { ...checkAs({ ...input, regoVersion: chosen.regoVersion }), regoVersion: chosen.regoVersion, warnings: chosen.warnings };
}

function checkAs(input: { body: string; type: string; regoVersion: RegoVersionName; tests?: string | undefined }): Pick<PolicyCheck, "errors" | "tests"> {
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
