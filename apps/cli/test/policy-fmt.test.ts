/** `gantry policy fmt`, through the real command on real files. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "gantry-cli-fmt-"));
const inDir = { cwd: dir, env: { HOME: dir } };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const V0 = "package spacelift\nimport future.keywords.in\ndeny[msg] { some r in input.resources; r.public\n  msg := r.id }\n";
const V0_AS_V1 = "package spacelift\n\ndeny contains msg if {\n\tsome r in input.resources\n\tr.public\n\tmsg := r.id\n}\n";

describe("gantry policy fmt", () => {
  it("prints, lists, diffs and writes as opa fmt, rewriting v0 to v1 with --v0-compatible", async () => {
    mkdirSync(join(dir, "policies"));
    writeFileSync(join(dir, "policies", "legacy.rego"), V0);
    writeFileSync(join(dir, "policies", "tidy.rego"), "package tidy\n\nallow := input.x\n");
    writeFileSync(join(dir, "policies", "notes.txt"), "not rego");
    const [printed, listed, diffed, failing] = await Promise.all([
      runCli(["policy", "fmt", "--v0-compatible", "policies/legacy.rego"], inDir),
      runCli(["policy", "fmt", "--v0-compatible", "-l", "policies"], inDir),
      runCli(["policy", "fmt", "--v0-compatible", "-d", "policies/legacy.rego"], inDir),
      runCli(["policy", "fmt", "--v0-compatible", "-l", "--fail", "policies"], inDir),
    ]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(V0_AS_V1);
    expect(listed.stdout).toBe("policies/legacy.rego\n");
    expect(listed.code).toBe(0);
    expect(diffed.stdout).toContain("--- a/policies/legacy.rego");
    expect(diffed.stdout).toContain("-deny[msg] { some r in input.resources; r.public");
    expect(diffed.stdout).toContain("+deny contains msg if {");
    expect(failing.code).toBe(1);

    const written = await runCli(["policy", "fmt", "--v0-compatible", "-w", "policies"], inDir);
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(join(dir, "policies", "legacy.rego"), "utf8")).toBe(V0_AS_V1);
    // Idempotent: the written files are now formatted v1 code.
    const again = await runCli(["policy", "fmt", "-l", "--fail", "policies"], inDir);
    expect(again.stdout).toBe("");
    expect(again.code).toBe(0);
    // Each child compiles the CLI with tsx: slow on a loaded machine.
  }, 300_000);

  it("reports a module that does not parse with its location and exits 1", async () => {
    writeFileSync(join(dir, "broken.rego"), "package broken\n\nallow { true }\n");
    const r = await runCli(["policy", "fmt", "broken.rego"], inDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("broken.rego:3:7: rego_parse_error: `if` keyword is required before rule body");
    const usage = await runCli(["policy", "fmt", "--v0-v1", "broken.rego"], inDir);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toContain("--v0-v1 rewrites v0 sources: add --v0-compatible");
  }, 300_000);
});
