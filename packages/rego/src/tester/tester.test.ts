import { describe, expect, it } from "vitest";
import { runTests, testExitCode } from "./runner.js";
import { formatDuration, formatTestsJSON, formatTestsPretty } from "./format.js";

const policy = `package app
allow if input.user == "admin"
deny contains "no" if not allow
`;
const tests = `package app_test
import data.app

test_admin_allowed if app.allow with input as {"user": "admin"}
test_guest_denied if not app.allow with input as {"user": "guest"}
test_wrong if app.allow with input as {"user": "guest"}
test_print if { print("checking"); true }
todo_test_later if false
test_error if { x := 1 / 0; x > 0 }
`;

const modules = [
  { file: "app.rego", source: policy },
  { file: "app_test.rego", source: tests },
];

describe("test runner", () => {
  it("runs test_ rules, skips todo_test_ ones and reports failures", () => {
    const report = runTests({ modules });
    const byName = new Map(report.results.map((r) => [r.name, r]));
    expect([...byName.keys()]).toEqual(["test_admin_allowed", "test_guest_denied", "test_wrong", "test_print", "todo_test_later", "test_error"]);
    expect(byName.get("test_admin_allowed")!.fail).toBeUndefined();
    expect(byName.get("test_wrong")!.fail).toBe(true);
    expect(byName.get("todo_test_later")!.skip).toBe(true);
    expect(byName.get("test_print")!.output).toBe("checking\n");
    // Division by zero is a builtin error: undefined, so the test fails (not strict).
    expect(byName.get("test_error")!.fail).toBe(true);
    expect(testExitCode(report)).toBe(2);
  });

  it("exits 2 on skipped tests unless told otherwise, like opa test -z", () => {
    const report = runTests({ modules, run: /admin_allowed|todo_test_later/ });
    expect(testExitCode(report)).toBe(2);
    expect(testExitCode(report, { exitZeroOnSkipped: true })).toBe(0);
  });

  it("filters with -r on the full name", () => {
    const report = runTests({ modules, run: /data\.app_test\.test_admin/ });
    expect(report.results.map((r) => r.name)).toEqual(["test_admin_allowed"]);
    expect(testExitCode(report)).toBe(0);
  });

  it("prints failures only unless verbose, then the summary", () => {
    const report = runTests({ modules });
    const out = formatTestsPretty(report);
    expect(out).toMatch(/^app_test\.rego:\ndata\.app_test\.test_wrong: FAIL \(/);
    expect(out).not.toContain("test_admin_allowed");
    expect(out).toContain("data.app_test.todo_test_later: SKIPPED\n");
    expect(out).toContain(`${"-".repeat(80)}\nPASS: 3/6\nFAIL: 2/6\nSKIPPED: 1/6\n`);
    const verbose = formatTestsPretty(report, { verbose: true });
    expect(verbose).toMatch(/^FAILURES\n-{80}\ndata\.app_test\.test_wrong: FAIL/);
    expect(verbose).toContain("data.app_test.test_admin_allowed: PASS (");
    expect(verbose).toContain("data.app_test.test_print: PASS (");
    expect(verbose).toContain("\n\n  checking\n\n");
  });

  it("formats JSON results with ns durations", () => {
    const report = runTests({ modules, run: /test_wrong/ });
    const json = JSON.parse(formatTestsJSON(report)) as { name: string; fail: boolean; duration: number; location: { file: string; row: number } }[];
    expect(json[0]).toMatchObject({ name: "test_wrong", fail: true, location: { file: "app_test.rego", row: 6 } });
    expect(json[0]!.duration).toBeGreaterThan(0);
    const printed = JSON.parse(formatTestsJSON(runTests({ modules, run: /test_print/ }))) as { output: string }[];
    expect(Buffer.from(printed[0]!.output, "base64").toString()).toBe("checking\n");
  });

  it("reports line coverage per file and applies the threshold", () => {
    const report = runTests({ modules, run: /test_admin_allowed/, coverage: true });
    const app = report.coverage!.files["app.rego"]!;
    expect(app.covered).toContainEqual({ start: { row: 2 }, end: { row: 2 } });
    expect(app.not_covered).toContainEqual({ start: { row: 3 }, end: { row: 3 } });
    expect(app.coverage).toBeLessThan(100);
    expect(testExitCode(report, { threshold: 100 })).toBe(2);
    expect(testExitCode(report, { threshold: 1 })).toBe(0);
  });

  it("formats durations like Go", () => {
    expect(formatDuration(416_500)).toBe("416.5µs");
    expect(formatDuration(1_200_000)).toBe("1.2ms");
    expect(formatDuration(2_000_000_000)).toBe("2s");
  });
});
