import { RegoError } from "../errors.js";
import type { Location } from "../errors.js";
import { compile } from "../index.js";
import type { CompileOptions } from "../index.js";
import { discoverTests } from "./discover.js";
import { buildCoverage } from "./coverage.js";
import type { CoverageReport } from "./coverage.js";

/** One test's outcome, in `opa test --format json` shape. */
export interface TestResult {
  location: Location;
  package: string;
  name: string;
  /** Nanoseconds. */
  duration: number;
  fail?: boolean;
  skip?: boolean;
  error?: { code: string; message: string; location?: Location };
  /** Lines printed with `print()`. */
  output?: string;
}

export interface TestRunOptions extends CompileOptions {
  /** Only tests whose full name (`data.pkg.test_x`) matches run (`-r`). */
  run?: RegExp;
  /** Per-test time limit in ms; OPA's default is 5 s. */
  timeoutMs?: number;
  /** Collect line coverage (`--coverage`). */
  coverage?: boolean;
  /** Fixed `time.now_ns()`; defaults to the clock. */
  nowNs?: bigint;
}

export interface TestReport { results: TestResult[]; coverage?: CoverageReport }

/**
 * Runs `opa test`-style tests: every rule with a `test_` segment, `todo_test_` ones skipped.
 * A test passes when its value is defined and not `false`. Compile errors throw RegoError.
 *
 * @example
 * const report = runTests({ modules: [{ file: "p_test.rego", source }] });
 * console.log(formatTestsPretty(report, { verbose: true }));
 */
export function runTests(opts: TestRunOptions): TestReport {
  const policy = compile(opts);
  const hits = new Map<string, Set<number>>();
  const onCover = opts.coverage
    ? (loc: Location): void => {
        let s = hits.get(loc.file);
        if (!s) { s = new Set(); hits.set(loc.file, s); }
        s.add(loc.row);
      }
    : undefined;
  const results: TestResult[] = [];
  for (const t of discoverTests(policy.compiled)) {
    if (opts.run && !opts.run.test(t.fullName)) continue;
    const base = { location: t.location, package: t.package, name: t.name };
    if (t.skip) { results.push({ ...base, duration: 0, skip: true }); continue; }
    const lines: string[] = [];
    const started = process.hrtime.bigint();
    let result: TestResult;
    try {
      const rs = policy.prepare(t.fullName).eval({
        maxTimeMs: opts.timeoutMs ?? 5_000,
        print: (l) => lines.push(l),
        ...(opts.nowNs !== undefined ? { nowNs: opts.nowNs } : {}),
        ...(onCover ? { onCover } : {}),
      });
      const value = rs[0]?.expressions[0]?.value;
      const passed = rs.length > 0 && value !== false;
      result = { ...base, duration: 0, ...(passed ? {} : { fail: true }) };
    } catch (e) {
      if (!(e instanceof RegoError)) throw e;
      result = { ...base, duration: 0, error: { code: e.code, message: e.errors[0]?.message ?? e.message, ...(e.location ? { location: e.location } : {}) } };
    }
    result.duration = Number(process.hrtime.bigint() - started);
    if (lines.length > 0) result.output = lines.map((l) => l + "\n").join("");
    results.push(result);
  }
  const report: TestReport = { results };
  if (opts.coverage) report.coverage = buildCoverage(policy.compiled.modules, hits);
  return report;
}

/**
 * Exit status as `opa test` gives it: 0 when every test passed; 2 when a test failed, errored
 * or was skipped (unless `exitZeroOnSkipped`, OPA's `-z`), or coverage is below `threshold`
 * percent. With coverage on, a test that does not pass is reported as an error instead: 1.
 */
export function testExitCode(report: TestReport, opts: { threshold?: number; exitZeroOnSkipped?: boolean } = {}): number {
  const notPassed = report.results.filter((r) => r.fail || r.error || (r.skip && !opts.exitZeroOnSkipped));
  if (report.coverage && report.results.some((r) => r.fail || r.error)) return 1;
  if (notPassed.length > 0) return 2;
  if (opts.threshold !== undefined && report.coverage && report.coverage.coverage < opts.threshold) return 2;
  return 0;
}
