/** `gantry policy check` and the `opa eval` flags of `gantry policy eval`, through the real command. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "gantry-cli-check-"));
const inDir = { cwd: dir, env: { HOME: dir } };

beforeAll(() => {
  writeFileSync(join(dir, "good.rego"), 'package good\n\nallow if { print("checking", input.user); input.user == "admin" }\n');
  writeFileSync(join(dir, "typo.rego"), 'package typo\n\ndeny contains msg if {\n  count(1) > 0\n  msg := upper(2)\n}\n');
  writeFileSync(join(dir, "strict.rego"), "package strict\n\nallow if {\n  x := 1\n  true\n}\n");
  writeFileSync(join(dir, "strict_v0.rego"), "package strict0\n\nimport data.unused\n\nallow { re_match(\"a\", input.x) }\n");
  writeFileSync(join(dir, "plan.rego"), 'package spacelift\n\ndeny contains "default password" if {\n  some rc in input.terraform.resource_changes\n  rc.change.after.password == sanitized("hunter2")\n}\n');
  writeFileSync(join(dir, "input.json"), JSON.stringify({ user: "admin" }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gantry policy check", () => {
  it("exits 0 on good code and 1 listing every type error, in opa check's form", async () => {
    const [good, typo, strictOff, strict, strictV0, planWithout, planWith] = await Promise.all([
      runCli(["policy", "check", "good.rego"], inDir),
      runCli(["policy", "check", "good.rego", "typo.rego"], inDir),
      runCli(["policy", "check", "strict.rego"], inDir),
      runCli(["policy", "check", "--strict", "strict.rego"], inDir),
      runCli(["policy", "check", "--strict", "--v0-compatible", "strict_v0.rego"], inDir),
      runCli(["policy", "check", "plan.rego"], inDir),
      runCli(["policy", "check", "--sanitized", "plan.rego"], inDir),
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("2 errors occurred:");
    expect(typo.stderr).toContain("typo.rego:4:3: rego_type_error: count: invalid argument(s)\n\thave: (number, ???)");
    expect(typo.stderr).toContain("typo.rego:5:10: rego_type_error: upper: invalid argument(s)");
    expect(strictOff.code, strictOff.stderr).toBe(0);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("strict.rego:4:3: rego_compile_error: assigned var x unused");
    expect(strictV0.code).toBe(1);
    expect(strictV0.stderr).toContain("strict_v0.rego:3:1: rego_compile_error: import data.unused unused");
    expect(strictV0.stderr).toContain("rego_type_error: deprecated built-in function calls in expression: re_match");
    expect(planWithout.code).toBe(1);
    expect(planWithout.stderr).toContain("rego_type_error: undefined function sanitized");
    expect(planWith.code, planWith.stderr).toBe(0);
    // Each child compiles the CLI with tsx: slow on a loaded machine.
  }, 300_000);
});

describe("gantry policy eval flags", () => {
  it("prints values and bindings, print() to stderr, and --fail/--fail-defined exit statuses", async () => {
    const [values, bindings, printed, failUndefined, failDefined, failDefinedUndefined, sanitized] = await Promise.all([
      runCli(["policy", "eval", "-d", "good.rego", "-i", "input.json", "data.good.allow", "--format", "values"], inDir),
      runCli(["policy", "eval", "x := [1, 2][_]", "--format", "bindings"], inDir),
      runCli(["policy", "eval", "-d", "good.rego", "-i", "input.json", "data.good.allow", "--format", "raw"], inDir),
      runCli(["policy", "eval", "-d", "good.rego", "data.good.allow", "--fail"], inDir),
      runCli(["policy", "eval", "-d", "good.rego", "-i", "input.json", "data.good.allow", "--fail-defined"], inDir),
      runCli(["policy", "eval", "-d", "good.rego", "data.good.allow", "--fail-defined"], inDir),
      runCli(["policy", "eval", "--sanitized", "-d", "plan.rego", "--format", "raw", 'data.spacelift.deny with input as {"terraform": {"resource_changes": [{"change": {"after": {"password": sanitized("hunter2")}}}]}}'], inDir),
    ]);
    expect(values.code, values.stderr).toBe(0);
    expect(JSON.parse(values.stdout)).toEqual([true]);
    expect(JSON.parse(bindings.stdout)).toEqual([{ x: 1 }, { x: 2 }]);
    expect(printed.stdout.trim()).toBe("true");
    expect(printed.stderr).toContain("checking admin");
    expect(failUndefined.code).toBe(1);
    expect(failDefined.code).toBe(1);
    expect(failDefinedUndefined.code).toBe(0);
    expect(sanitized.code, sanitized.stderr).toBe(0);
    expect(JSON.parse(sanitized.stdout)).toEqual(["default password"]);
  }, 300_000);
});
