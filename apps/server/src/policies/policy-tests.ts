import { RegoError, runTests, type TestResult } from "@gantry/rego";
import { AppError } from "../errors.js";

/** What running a policy's tests gave: one line per test, and the names of those that did not pass. */
export interface PolicyTestSummary {
  total: number;
  passed: number;
  failed: { name: string; reason: string }[];
}

function testName(r: TestResult): string {
  return `${r.package}.${r.name}`;
}

/**
 * Runs a policy's Rego tests (`test_` rules in `tests`) against its body, as `opa test` would.
 * A tests module that does not compile with the body, or holds no test, is a summary with one
 * failure saying so: a policy must not look tested when nothing ran.
 */
export function runPolicyTests(policy: { id: string; body: string; regoVersion: "V0" | "V1"; type: string; tests: string }): PolicyTestSummary {
  const v = policy.regoVersion === "V0" ? 0 : 1;
  try {
    const report = runTests({
      modules: [{ file: `${policy.id}.rego`, source: policy.body, regoVersion: v }, { file: `${policy.id}_test.rego`, source: policy.tests, regoVersion: v }],
      sanitized: policy.type === "PLAN",
      timeoutMs: 2_000,
    });
    const failed = report.results
      .filter((r) => r.fail || r.error || r.skip)
      .map((r) => ({ name: testName(r), reason: r.error ? `${r.error.code}: ${r.error.message}` : r.skip ? "skipped (todo_test_): finish it or remove it" : "failed: the test rule is undefined or false" }));
    if (report.results.length === 0) return { total: 0, passed: 0, failed: [{ name: `${policy.id}_test.rego`, reason: "holds no test_ rule: add one, or leave tests empty" }] };
    return { total: report.results.length, passed: report.results.length - failed.length, failed };
  } catch (err) {
    if (!(err instanceof RegoError)) throw err;
    return { total: 0, passed: 0, failed: [{ name: `${policy.id}_test.rego`, reason: `does not compile with the policy: ${err.message}` }] };
  }
}

/**
 * Refuses a policy change whose tests do not pass, naming each failing test and why, as field
 * issues on `tests`. A policy without tests passes.
 */
export function requirePolicyTestsPass(policy: Parameters<typeof runPolicyTests>[0]): void {
  if (policy.tests.trim() === "") return;
  const summary = runPolicyTests(policy);
  if (summary.failed.length === 0) return;
  const names = summary.failed.map((f) => `${f.name} ${f.reason}`).join("; ");
  throw new AppError("invalid", `policy ${policy.id} not saved: ${summary.failed.length} of ${Math.max(summary.total, 1)} tests did not pass: ${names}`, {
    issues: summary.failed.map((f) => ({ path: ["tests"], message: `${f.name}: ${f.reason}` })),
  });
}
