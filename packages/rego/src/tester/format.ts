import { formatLocation } from "../errors.js";
import type { TestReport, TestResult } from "./runner.js";

const RULE = "-".repeat(80);

/** Formats nanoseconds like Go's time.Duration (`416.5µs`, `1.2ms`, `2s`). */
export function formatDuration(ns: number): string {
  const trim = (x: number): string => String(Number(x.toFixed(x >= 100 ? 1 : x >= 10 ? 2 : 3)));
  if (ns < 1_000) return `${ns}ns`;
  if (ns < 1_000_000) return `${trim(ns / 1_000)}µs`;
  if (ns < 1_000_000_000) return `${trim(ns / 1_000_000)}ms`;
  return `${trim(ns / 1_000_000_000)}s`;
}

function status(r: TestResult): string {
  if (r.skip) return "SKIPPED";
  if (r.error) return "ERROR";
  if (r.fail) return "FAIL";
  return "PASS";
}

/**
 * `opa test` pretty output, as OPA's PrettyReporter prints it: tests that did not pass (all with
 * `verbose`) grouped under a `file:` header, print output indented below its test, then a
 * dashed line and PASS/FAIL/SKIPPED/ERROR counts. With `verbose` and failures, a FAILURES
 * section comes first (without OPA's evaluation trace, which this engine does not record).
 */
export function formatTestsPretty(report: TestReport, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  const passed = (r: TestResult): boolean => !r.fail && !r.error && !r.skip;
  const line = (r: TestResult): string => `${r.package}.${r.name}: ${status(r)}${r.skip ? "" : ` (${formatDuration(r.duration)})`}`;
  const failures = report.results.filter((r) => r.fail && !r.error);
  if (opts.verbose && failures.length > 0) {
    lines.push("FAILURES", RULE);
    for (const r of failures) lines.push(line(r), "");
    lines.push("SUMMARY", RULE);
  }
  let lastFile = "";
  let dirty = false;
  for (const r of report.results) {
    if (opts.verbose || !passed(r)) {
      if (r.location.file !== lastFile) {
        if (lastFile !== "") lines.push("");
        lines.push(`${r.location.file}:`);
        lastFile = r.location.file;
      }
      dirty = true;
      lines.push(line(r));
      if (r.output) lines.push("", ...r.output.trim().split("\n").map((l) => `  ${l}`), "");
    }
    if (r.error) lines.push(`  ${r.error.location ? formatLocation(r.error.location) + ": " : ""}${r.error.code}: ${r.error.message}`);
  }
  if (dirty) lines.push(RULE);
  const total = report.results.length;
  const count = (f: (r: TestResult) => boolean): number => report.results.filter(f).length;
  const pass = count(passed);
  const fail = count((r) => !!r.fail && !r.error);
  const skip = count((r) => !!r.skip);
  const error = count((r) => !!r.error);
  if (pass) lines.push(`PASS: ${pass}/${total}`);
  if (fail) lines.push(`FAIL: ${fail}/${total}`);
  if (skip) lines.push(`SKIPPED: ${skip}/${total}`);
  if (error) lines.push(`ERROR: ${error}/${total}`);
  return lines.join("\n") + "\n";
}

/** OPA's message when coverage is below `--threshold`. */
export function coverageThresholdMessage(coverage: number, threshold: number): string {
  return `Code coverage threshold not met: got ${coverage.toFixed(2)} instead of ${threshold.toFixed(2)}`;
}

/**
 * `opa test --format json`: the results array (print output base64-encoded, as Go encodes
 * OPA's byte slice); with `--coverage`, the coverage report instead.
 */
export function formatTestsJSON(report: TestReport): string {
  if (report.coverage) return JSON.stringify(report.coverage, null, 2) + "\n";
  const results = report.results.map((r) => (r.output === undefined ? r : { ...r, output: Buffer.from(r.output).toString("base64") }));
  return JSON.stringify(results, null, 2) + "\n";
}
