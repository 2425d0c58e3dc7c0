import { describe, expect, it } from "vitest";
import { compile, RegoError } from "../index.js";
import { builtins } from "../builtins/index.js";
import { builtinDecl, declaredBuiltins } from "../types/builtin-decls.js";
import { REGO_POLICIES } from "../../bench/policies.js";

function compileError(body: string, regoVersion: 0 | 1 = 1): string {
  try {
    compile({ modules: [{ file: "p.rego", source: `package p\n${body}`, regoVersion }] });
  } catch (e) {
    if (e instanceof RegoError) return e.message;
    throw e;
  }
  return "compiled";
}

// Expected messages follow OPA's type checker (`opa check` prints the same have/want lines).
const REFUSED: [string, string][] = [
  ["x if count(1)", "p.rego:2:6: rego_type_error: count: invalid argument(s)\n\thave: (number)\n\twant: (collection: any<string, array[any], object[any: any], set[any]>, n: number)"],
  ['x := 1 + "a"', "rego_type_error: plus: invalid argument(s)\n\thave: (number, string, ???)\n\twant: (x: number, y: number, z: number)"],
  ["x := upper(1)", "rego_type_error: upper: invalid argument(s)\n\thave: (number, ???)\n\twant: (x: string, y: string)"],
  ['x := concat(",", 1)', "rego_type_error: concat: invalid argument(s)\n\thave: (string, number, ???)\n\twant: (delimiter: string, collection: any<array[string], set[string]>, output: string)"],
  ["x := sprintf(1, [])", "rego_type_error: sprintf: invalid argument(s)\n\thave: (number, array, ???)\n\twant: (format: string, values: array[any], output: string)"],
  ['x if startswith("a")', "rego_type_error: startswith: arity mismatch\n\thave: (string)\n\twant: (search: string, base: string)"],
  ["x if object.get(1)", "rego_type_error: object.get: arity mismatch\n\thave: (number)\n\twant: (object: object[any: any], key: any, default: any)"],
  ["x := count([1], 2)", "rego_type_error: count: arity mismatch\n\thave: (array<number>, number, ???)\n\twant: (collection: any<string, array[any], object[any: any], set[any]>)"],
  ['x if is_string("a", "b")', "rego_type_error: is_string: invalid argument(s)\n\thave: (string, string)\n\twant: (x: any, result: boolean)"],
  ["f(a, b) := a\nx := f(1)", "p.rego:3:6: rego_type_error: function data.p.f has arity 2, got 1 argument"],
  ['x if { 1 = "a" }', "rego_type_error: match error\n\tleft  : number\n\tright : string"],
  ["x if foo(1)", "rego_type_error: undefined function foo"],
  // Types flow through local variables, rules and iteration.
  ['x if { y := {"a": 1}; z := y.a; upper(z) }', "upper: invalid argument(s)\n\thave: (number)"],
  ['deny contains msg if { msg := sprintf("%s", [input.x]) }\nx if upper(deny)', "upper: invalid argument(s)\n\thave: (set[string])"],
  ["xs := [1, 2]\nx if { some v in xs; lower(v) }", "lower: invalid argument(s)\n\thave: (number)"],
  ['r := {"n": 1}\nx if { startswith(r.n, "a") }', "startswith: invalid argument(s)\n\thave: (number, string)"],
];

describe("type checker", () => {
  it.each(REFUSED)("refuses %j as OPA does (v1)", (body, message) => {
    expect(compileError(body)).toContain(message);
  });

  it("refuses the same calls in v0 modules", () => {
    expect(compileError("x { count(1) }", 0)).toContain("count: invalid argument(s)");
    expect(compileError('x = y { y := upper(1) }', 0)).toContain("upper: invalid argument(s)");
  });

  it("accepts well-typed policies, input and data being any", () => {
    const ok = [
      "x if count(input.x) > 1",
      'x if { some r in input.resources; startswith(r.address, "aws_") }',
      "x := sum([1, 2]) + input.n",
      "s := {1, 2} - {2}\nn := count(s - {1})",
      'x := object.get(input, ["a", "b"], null)',
      "f(x) := x + 1\ny := f(2)",
      'msg := sprintf("%v", [data.other.thing])',
      "x if { [a, b] := split(input.s, \":\"); upper(a) == b }",
    ];
    for (const body of ok) expect(compileError(body), body).toBe("compiled");
  });

  it("accepts the benchmark's plan policies", () => {
    expect(() => compile({ modules: Object.entries(REGO_POLICIES).map(([file, source]) => ({ file, source })) })).not.toThrow();
  });

  it("checks queries too", () => {
    const policy = compile({ modules: [] });
    expect(() => policy.prepare("x := upper(1)")).toThrow(/upper: invalid argument/);
  });

  it("has a declaration for every builtin the engine has", () => {
    const missing = [...builtins.keys()].filter((n) => !builtinDecl(n));
    expect(missing).toEqual([]);
    for (const n of declaredBuiltins()) expect(() => builtinDecl(n), n).not.toThrow();
  });
});
