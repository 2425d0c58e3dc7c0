import { describe, expect, it } from "vitest";
import { parseModule, parseQuery } from "./module-parser.js";
import { RegoError } from "../errors.js";

function parseError(source: string, version: 0 | 1 = 1): RegoError {
  try {
    parseModule(source, "p.rego", version);
  } catch (e) {
    if (e instanceof RegoError) return e;
    throw e;
  }
  throw new Error("expected a parse error");
}

describe("parser", () => {
  it("parses v1 rule kinds", () => {
    const m = parseModule(
      "package a.b\nimport rego.v1\np contains x if some x in [1]\nq[k] := 1 if k := \"a\"\nf(x) := x + 1\ndefault d := 0\nr := 1 if false else := 2",
      "p.rego",
      1,
    );
    expect(m.package).toEqual(["a", "b"]);
    expect(m.rules.map((r) => r.kind)).toEqual(["set", "complete", "function", "complete", "complete"]);
    expect(m.rules[1]!.path).toHaveLength(2);
    expect(m.rules[3]!.isDefault).toBe(true);
    expect(m.rules[4]!.elses).toHaveLength(1);
  });

  it("treats v0 `p[x] { }` as a partial set and accepts multiple bodies", () => {
    const m = parseModule("package a\np[x] { x := 1 } { x := 2 }", "p.rego", 0);
    expect(m.rules.map((r) => r.kind)).toEqual(["set", "set"]);
  });

  it("reports errors at file:row:col", () => {
    const e = parseError("package a\n\np if {\n  x := \n}");
    expect(e.code).toBe("rego_parse_error");
    expect(e.location).toMatchObject({ file: "p.rego", row: 5 });
  });

  it("requires `if` before a body in v1", () => {
    const e = parseError("package a\np { true }");
    expect(e.message).toContain("`if` keyword is required before rule body");
  });

  it("reports several errors at once", () => {
    const e = parseError("package a\np if {\n  1 +\n}\nq if {\n  ]\n}\n");
    expect(e.errors.length).toBe(2);
    expect(e.errors.map((d) => d.location?.row)).toEqual([4, 6]);
  });

  it("allows keywords in refs and parses string interpolation", () => {
    const m = parseModule('package foo.as\nas.if := 1\ns := $"a {1 + 2} b"', "p.rego", 1);
    expect(m.package).toEqual(["foo", "as"]);
    expect(m.rules[1]!.value.type).toBe("template");
  });

  it("parses queries separated by semicolons and newlines", () => {
    expect(parseQuery("x := 1; y := 2\nz := 3")).toHaveLength(3);
  });
});

describe("v1 compile checks", async () => {
  const { compile } = await import("../index.js");
  const compileError = (source: string): string => {
    try { compile({ modules: [{ file: "p.rego", source }] }); } catch (e) { if (e instanceof RegoError) return e.message; throw e; }
    return "compiled";
  };
  it("rejects duplicate and unused imports, reassignment and shadowing input", () => {
    expect(compileError("package p\nimport data.a\nimport data.a\nx := a")).toContain("import must not shadow import data.a");
    expect(compileError("package p\nimport data.unused\nx := 1")).toBe("p.rego:2:1: rego_compile_error: import data.unused unused");
    expect(compileError("package p\nx if { y := 1; y := 2 }")).toBe("p.rego:2:16: rego_compile_error: var y assigned above");
    expect(compileError("package p\nx if { input := 1 }")).toContain("variables must not shadow input");
  });
  it("accepts the same module as v0", () => {
    expect(() => compile({ modules: [{ file: "p.rego", source: "package p\nimport data.unused\nx := 1", regoVersion: 0 }] })).not.toThrow();
  });
});
