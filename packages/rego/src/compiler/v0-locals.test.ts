import { describe, expect, it } from "vitest";
import { compile, runTests, toJSONText } from "../index.js";

const V0_TESTS = `package spacelift

deny[msg] { input.spacelift.run.type == "TRACKED"; msg := "no tracked runs" }

test_deny_tracked {
  input := {"spacelift": {"run": {"type": "TRACKED"}}}
  deny["no tracked runs"] with input as input
}

test_allow_proposed {
  input := {"spacelift": {"run": {"type": "PROPOSED"}}}
  count(deny) == 0 with input as input
}

test_local_data {
  data := {"limits": {"max": 2}}
  data.limits.max == 2
}
`;

describe("v0 locals named input and data", () => {
  it("are ordinary local variables, used by `with input as input`, as in OPA", () => {
    const report = runTests({ modules: [{ file: "p_test.rego", source: V0_TESTS, regoVersion: 0 }] });
    expect(report.results.map((r) => [r.name, r.fail ?? false, r.error ?? null])).toEqual([
      ["test_deny_tracked", false, null],
      ["test_allow_proposed", false, null],
      ["test_local_data", false, null],
    ]);
  });

  it("do not change what input means before the declaration", () => {
    const p = compile({ modules: [{ file: "p.rego", regoVersion: 0, source: "package p\nx = [a, b] { a := input.v; input := {\"v\": 2}; b := input.v }" }] });
    expect(toJSONText(p.eval("data.p.x", { input: { v: 1 } })[0]!.expressions[0]!.value)).toBe("[1,2]");
  });

  it("are still refused in v1", () => {
    expect(() => compile({ modules: [{ file: "p.rego", source: "package p\nx if { input := 1; input == 1 }" }] }))
      .toThrow(/variables must not shadow input/);
  });
});
