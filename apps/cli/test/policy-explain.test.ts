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
  writeFileSync(join(dir, "tier.rego"), 'package t\n\ntier := t if {\n  t := input.tier\n}\n');
  writeFileSync(join(dir, "tier.json"), JSON.stringify({ tier: "gold" }));
  writeFileSync(join(dir, "conflict.rego"), "package c\n\nx := 1 if true\n\nx := 2 if true\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gantry policy eval --explain", () => {
  it("prints OPA's trace before the result (in the document with --format json), and exits as opa eval does", async () => {
    const [notes, fails, json, error, errorFail] = await Promise.all([
      runCli(["policy", "eval", "-d", "p.rego", "-i", "input.json", "data.p.allow", "--format", "pretty", "--explain", "notes"], inDir),
      runCli(["policy", "eval", "-d", "p.rego", "-i", "input.json", "data.p.allow", "--format", "pretty", "--explain", "fails", "--fail"], inDir),
      runCli(["policy", "eval", "-d", "p.rego", "-i", "input.json", "data.p.allow", "--explain", "full"], inDir),
      runCli(["policy", "eval", "-d", "conflict.rego", "data.c.x"], inDir),
      runCli(["policy", "eval", "-d", "conflict.rego", "--fail", "data.c.x"], inDir),
    ]);
    const full = await runCli(["policy", "eval", "-d", "p.rego", "-i", "input.json", "data.p.allow", "--format", "pretty", "--explain", "full"], inDir);
    expect(full.stdout).toContain("query:1      | Index data.p.allow (matched 1 rule, early exit)\n");
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
    // --format json (the default): one document, the trace under explanation, as opa eval.
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { result?: unknown; explanation: { Op: string; QueryID: number; ParentID: number; Message: string; Location: { file: string; row: number } | null; Node: unknown }[] };
    expect(doc.result).toBeUndefined();
    expect(doc.explanation.map((e) => e.Op)).toEqual(["Enter", "Eval", "Index", "Enter", "Eval", "Note", "Eval", "Fail", "Fail"]);
    // The rule lookup, as OPA's Index event: its message and the rules' ref.
    expect(doc.explanation[2]).toMatchObject({ Message: "(matched 1 rule, early exit)", Ref: [{ type: "var", value: "data" }, { type: "string", value: "p" }, { type: "string", value: "allow" }] });
    expect(doc.explanation[0]).toMatchObject({ QueryID: 0, ParentID: 0, Location: { file: "", row: 1 } });
    expect(doc.explanation.find((e) => e.Op === "Note")).toMatchObject({ Message: "checking admin", Location: { file: "p.rego", row: 4 } });
    // Expressions as OPA's JSON AST: a ref term's parts, `input.admin`.
    expect(doc.explanation[7]!.Node).toEqual({ index: 1, terms: { type: "ref", value: [{ type: "var", value: "input" }, { type: "string", value: "admin" }] } });
    // Unify events: --explain debug only; full drops them, as OPA's lineage.Full does.
    const [tierFull, tierDebug] = await Promise.all(["full", "debug"].map((mode) =>
      runCli(["policy", "eval", "-d", "tier.rego", "-i", "tier.json", "data.t.tier", "--format", "pretty", "--explain", mode], inDir)));
    expect(tierDebug!.stdout, tierDebug!.stderr).toContain("| | Unify t = input.tier\n");
    expect(tierFull!.stdout).toContain("| | Eval t := input.tier\n");
    expect(tierFull!.stdout).not.toContain("Unify");
    // Without input, OPA's index leaves out the rule needing input.admin: no Enter for it.
    const noInput = await runCli(["policy", "eval", "-d", "p.rego", "data.p.allow", "--explain", "full", "--format", "pretty"], inDir);
    expect(noInput.stdout).toContain("query:1     | Index data.p.allow (matched 0 rules)\nquery:1     | Fail data.p.allow\n");
    const values = await runCli(["policy", "eval", "-d", "p.rego", "data.p.allow", "--explain", "full", "--format", "values"], inDir);
    expect(values.code).not.toBe(0);
    expect(values.stderr).toContain("--explain prints OPA's trace with --format json, pretty or raw, not values");
    // An evaluation error: 2 with or without --fail, the error on stdout in the chosen format.
    expect(error.code).toBe(2);
    expect(errorFail.code).toBe(2);
    expect(error.stdout).toContain("eval_conflict_error");
  }, 300_000);
});
