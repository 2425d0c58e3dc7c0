import { describe, expect, it } from "vitest";
import type { RegoError } from "../index.js";
import { compile } from "../index.js";
import { formatEvalError, formatEvalResults } from "./eval-output.js";

const policy = compile({
  modules: [{ file: "p.rego", source: 'package p\ndeny contains "public bucket" if input.public\nname := "x"\nn := 18446744073709551617' }],
});

describe("opa eval output", () => {
  it("prints the JSON shape with expressions, text and location", () => {
    const out = formatEvalResults(policy.eval("data.p.deny", { input: { public: true } }), "json");
    expect(JSON.parse(out)).toEqual({
      result: [{ expressions: [{ value: ["public bucket"], text: "data.p.deny", location: { row: 1, col: 1 } }] }],
    });
    expect(out).toContain('\n  "result": [');
  });

  it("prints {} for undefined and keeps bindings", () => {
    expect(formatEvalResults(policy.eval("data.p.nothing"), "json")).toBe("{}\n");
    const out = JSON.parse(formatEvalResults(policy.eval("x := data.p.name"), "json")) as { result: { bindings: unknown }[] };
    expect(out.result[0]!.bindings).toEqual({ x: "x" });
  });

  it("keeps big numbers exact in JSON", () => {
    expect(formatEvalResults(policy.eval("data.p.n"), "json")).toContain('"value": 18446744073709551617');
  });

  it("prints raw and pretty formats", () => {
    expect(formatEvalResults(policy.eval("data.p.name"), "raw")).toBe("x\n");
    expect(formatEvalResults(policy.eval("data.p.nothing"), "pretty")).toBe("undefined\n");
    expect(formatEvalResults(policy.eval("data.p.deny", { input: { public: true } }), "pretty")).toBe('[\n  "public bucket"\n]\n');
    const table = formatEvalResults(policy.eval("x := [1, 2][_]"), "pretty");
    expect(table).toBe("+---+\n| x |\n+---+\n| 1 |\n| 2 |\n+---+\n");
  });

  it("prints errors in the JSON shape", () => {
    let err: RegoError | undefined;
    try { compile({ modules: [{ file: "bad.rego", source: "package p\np if {" }] }); } catch (e) { err = e as RegoError; }
    const out = JSON.parse(formatEvalError(err!, "json")) as { errors: { code: string; location: { file: string } }[] };
    expect(out.errors[0]).toMatchObject({ code: "rego_parse_error", location: { file: "bad.rego" } });
    expect(formatEvalError(err!, "pretty")).toMatch(/^1 error occurred: bad\.rego:2:\d+: rego_parse_error: /);
  });
});
