import { describe, expect, it } from "vitest";
import { compile, RegoError, toJS } from "../index.js";

/** The messages `compile` refuses a one-file module with, or [] when it compiles. */
function compileErrors(source: string): string[] {
  try {
    compile({ modules: [{ file: "p.rego", source }] });
    return [];
  } catch (e) {
    if (!(e instanceof RegoError)) throw e;
    return e.errors.map((d) => `${d.location?.row}:${d.location?.col}: ${d.code}: ${d.message}`);
  }
}

describe("safety of unifications (OPA's unifier)", () => {
  it("refuses an assignment from an unbound var, naming both vars as OPA does", () => {
    expect(compileErrors("package p\ndeny contains msg if {\n  msg := undefined_thing\n}")).toEqual([
      "3:3: rego_unsafe_var_error: var msg is unsafe",
      "3:3: rego_unsafe_var_error: var undefined_thing is unsafe",
    ]);
    expect(compileErrors("package p\np if { x = y }")).toEqual([
      "2:8: rego_unsafe_var_error: var x is unsafe",
      "2:8: rego_unsafe_var_error: var y is unsafe",
    ]);
    // An unbound var inside a composite leaves the other side unbound too.
    expect(compileErrors("package p\np if { a := [c, 1] }")).toEqual([
      "2:8: rego_unsafe_var_error: var a is unsafe",
      "2:8: rego_unsafe_var_error: var c is unsafe",
    ]);
  });

  it("reports each unsafe var once, at the first expression needing it (OPA issue 6393's example)", () => {
    const source = "package play\nrule if {\n  my_string := x\n  startswith(my_string, \"foo\")\n  substr := substring(my_string, 0, 1)\n  substr == \"f\"\n}";
    expect(compileErrors(source)).toEqual([
      "3:3: rego_unsafe_var_error: var my_string is unsafe",
      "3:3: rego_unsafe_var_error: var x is unsafe",
      "5:3: rego_unsafe_var_error: var substr is unsafe",
    ]);
  });

  it("accepts unifications whose other side is known, reordering the body when needed", () => {
    for (const ok of [
      "package p\np if { x := y; y := 1 }",
      "package p\np if { x = y; y = z; z = 1 }",
      "package p\np if { [x, 1] = [2, y]; x + y > 0 }",
      "package p\np if { x = input.a[i]; i > 0 }",
      "package p\np if { input.a[i] = x; x > 0 }",
      "package p\np if { {\"k\": v} = input.o; v }",
      "package p\np if { x = [y | y := 1]; count(x) > 0 }",
    ]) expect(compileErrors(ok), ok).toEqual([]);
    const p = compile({ modules: [{ file: "p.rego", source: "package p\nq := [x, y] if { x := y; y := 1 }" }] });
    expect(toJS(p.eval("data.p.q")[0]!.expressions[0]!.value)).toEqual([1, 1]);
  });
});
