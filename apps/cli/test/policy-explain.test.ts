/** `gantry policy eval --explain` and opa eval's exit statuses, through the real command. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "gantry-cli-explain-"));
const inDir = { cwd: dir, env: { HOME: dir } };

beforeAll(() => {
  writeFileSync(join(dir, "p.rego"), 'package p\n\nallow if {\n  trace("checking admin")\n  input.admin\n}\n');
  writeFileSync(join(dir, "input.json"), JSON.stringify({ admin: false }));
  writeFileSync(join(dir, "conflict.rego"), "package c\n\nx := 1 if true\n\nx := 2 if true\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gantry policy eval --explain", () => {
  it("prints OPA's trace before the result, and exits as opa eval does", async () => {
    const [notes, fails, json, error, errorFail] = await Promise.all([
      runCli(["policy", "eval", "-d", "p.rego", "-i", "input.json", "data.p.allow", "--format", "pretty", "--explain", "notes"], inDir),
      runCli(["policy", "eval", "-d", "p.rego", "-i", "input.json", "data.p.allow", "--format", "pretty", "--explain", "fails", "--fail"], inDir),
      runCli(["policy", "eval", "-d", "p.rego", "data.p.allow", "--explain", "full"], inDir),
      runCli(["policy", "eval", "-d", "conflict.rego", "data.c.x"], inDir),
      runCli(["policy", "eval", "-d", "conflict.rego", "--fail", "data.c.x"], inDir),
    ]);
    expect(notes.code, notes.stderr).toBe(0);
    expect(notes.stdout).toBe([
      "query:1      Enter data.p.allow",
      "p.rego:3     | Enter data.p.allow",
      'p.rego:4     | | Note "checking admin"',
      "undefined",
      "",
    ].join("\n"));
    expect(fails.stdout).toContain("p.rego:5     | | Fail input.admin\n");
    // --fail on an undefined result: 1, as opa eval.
    expect(fails.code).toBe(1);
    expect(json.code).not.toBe(0);
    expect(json.stderr).toContain("--explain prints OPA's text trace: use it with --format pretty or raw");
    // An evaluation error: 2 with or without --fail, the error on stdout in the chosen format.
    expect(error.code).toBe(2);
    expect(errorFail.code).toBe(2);
    expect(error.stdout).toContain("eval_conflict_error");
  }, 300_000);
});
