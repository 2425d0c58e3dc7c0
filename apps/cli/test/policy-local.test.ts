/** `gantry policy eval` and `gantry policy test` on local files, through the real command. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "gantry-cli-rego-"));
const inDir = { cwd: dir, env: { HOME: dir } };

beforeAll(() => {
  writeFileSync(
    join(dir, "plan.rego"),
    `package spacelift

deny contains msg if {
  some r in input.terraform.resource_changes
  "delete" in r.change.actions
  not data.config.allow_delete
  msg := sprintf("deleting %s is not allowed", [r.address])
}
`,
  );
  writeFileSync(
    join(dir, "plan_test.rego"),
    `package spacelift

test_denies_delete if {
  count(deny) == 1 with input as {"terraform": {"resource_changes": [{"address": "a.b", "change": {"actions": ["delete"]}}]}}
}

test_allows_create if {
  count(deny) == 0 with input as {"terraform": {"resource_changes": [{"address": "a.b", "change": {"actions": ["create"]}}]}}
}

test_wrong_on_purpose if {
  count(deny) == 5
}
`,
  );
  mkdirSync(join(dir, "data", "config"), { recursive: true });
  writeFileSync(join(dir, "data", "config", "data.json"), JSON.stringify({ allow_delete: true }));
  writeFileSync(join(dir, "input.json"), JSON.stringify({ terraform: { resource_changes: [{ address: "aws_s3_bucket.logs", change: { actions: ["delete"] } }] } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gantry policy eval", () => {
  it("evaluates a query over -d files and -i input in opa eval's formats, and exits 2 on a Rego error (as opa eval)", async () => {
    const [pretty, json, withData, parseError] = await Promise.all([
      runCli(["policy", "eval", "-d", "plan.rego", "-i", "input.json", "data.spacelift.deny", "--format", "pretty"], inDir),
      runCli(["policy", "eval", "-d", "plan.rego", "-i", "input.json", "data.spacelift.deny"], inDir),
      // data/config/data.json becomes data.config, which allows the delete.
      runCli(["policy", "eval", "-d", "plan.rego", "-d", "data", "-i", "input.json", "count(data.spacelift.deny)", "--format", "raw"], inDir),
      runCli(["policy", "eval", "-d", "plan.rego", "data.spacelift.deny["], inDir),
    ]);
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(JSON.parse(pretty.stdout)).toEqual(["deleting aws_s3_bucket.logs is not allowed"]);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { result: { expressions: { value: unknown; text: string }[] }[] };
    expect(doc.result[0]?.expressions[0]).toMatchObject({ value: ["deleting aws_s3_bucket.logs is not allowed"], text: "data.spacelift.deny" });
    expect(withData.stdout.trim()).toBe("0");
    expect(parseError.code).toBe(2);
    expect((JSON.parse(parseError.stdout) as { errors: { code: string }[] }).errors[0]?.code).toBe("rego_parse_error");
  });
});

describe("gantry policy test", () => {
  it("runs the tests with opa test's output and exit statuses", async () => {
    const [all, filtered, coverage, missing] = await Promise.all([
      runCli(["policy", "test", "."], inDir),
      runCli(["policy", "test", ".", "-r", "denies|allows", "-v"], inDir),
      runCli(["policy", "test", ".", "-r", "allows", "--coverage", "--threshold", "100", "--format", "json"], inDir),
      runCli(["policy", "test", "nowhere"], inDir),
    ]);
    expect(all.code).toBe(2);
    expect(all.stdout).toMatch(/data\.spacelift\.test_wrong_on_purpose: FAIL/);
    expect(all.stdout).toMatch(/^PASS: 2\/3$/m);
    expect(all.stdout).toMatch(/^FAIL: 1\/3$/m);
    expect(filtered.code, filtered.stdout).toBe(0);
    expect(filtered.stdout).toMatch(/data\.spacelift\.test_denies_delete: PASS/);
    expect(filtered.stdout).toMatch(/^PASS: 2\/2$/m);
    // One test leaves the deny rule's body partly uncovered: under a 100% threshold, status 2.
    expect(coverage.code).toBe(2);
    expect((JSON.parse(coverage.stdout) as { coverage: number }).coverage).toBeLessThan(100);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nowhere");
  });
});
