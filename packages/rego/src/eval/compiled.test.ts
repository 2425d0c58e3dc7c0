import { describe, expect, it } from "vitest";
import { compile, fromJSONText, RegoError, toJSONText } from "../index.js";
import type { EvalInput } from "../index.js";
import { Frame } from "./context.js";

function evalOne(source: string, query: string, opts: EvalInput = {}): string {
  const rs = compile({ modules: [{ file: "p.rego", source }] }).prepare(query).eval(opts);
  return rs.length === 0 ? "undefined" : toJSONText(rs[0]!.expressions[0]!.value);
}

describe("compiled evaluation paths", () => {
  it("looks keys up across objects of the same and of different shapes", () => {
    // Same keys in another order, a subset, and a repeated key (the later value wins).
    const input = fromJSONText('{"xs": [{"a": 1, "b": 2}, {"b": 3, "a": 4}, {"a": 5}, {"a": 6, "b": 7, "a": 8}, {"a": 9, "b": 10}]}');
    const src = "package p\nas := [x.a | some x in input.xs]\nbs := [x.b | some x in input.xs]";
    expect(evalOne(src, "data.p.as", { input })).toBe("[1,4,5,8,9]");
    expect(evalOne(src, "data.p.bs", { input })).toBe("[2,3,7,10]");
    expect(toJSONText(fromJSONText('[{"a": 1, "a": 2}, {"a": 3}]'))).toBe('[{"a":2},{"a":3}]');
    // JS inputs share shapes too.
    const js = { xs: [{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5 }, { a: 9, b: 10 }] };
    expect(evalOne(src, "data.p.as", { input: js })).toBe("[1,4,5,9]");
    expect(evalOne(src, "data.p.bs", { input: js })).toBe("[2,3,10]");
  });

  it("calls simple functions directly and still reports conflicting outputs", () => {
    const src = "package p\nf(x) := x + 1\ng(x) := 1 if x > 0\ng(x) := 2 if x > 1\nok := f(1)\nclash := g(2)\nmocked if f(1) == 7 with f as 7";
    expect(evalOne(src, "data.p.ok")).toBe("2");
    expect(evalOne(src, "data.p.g(1)")).toBe("1");
    expect(() => evalOne(src, "data.p.clash")).toThrow(RegoError);
    // A `with` replacement takes the general path.
    expect(evalOne(src, "data.p.mocked")).toBe("true");
  });

  it("indexes rule documents by computed keys, base data winning over rules", () => {
    const src = "package p\nm[k] := v if { some k, v in {\"a\": 1, \"b\": 2} }\nhit if m[input.k] == 2";
    expect(evalOne(src, "data.p.hit", { input: { k: "b" } })).toBe("true");
    expect(evalOne(src, "data.p.hit", { input: { k: "a" } })).toBe("undefined");
    expect(evalOne(src, "data.p.m.b", { data: { p: { m: { b: 3 } } } })).toBe("3");
  });

  it("binds many variables in one frame", () => {
    const f = new Frame();
    for (let i = 0; i < 40; i++) f.set(`v${i}`, i % 2 === 0);
    f.set("v3", undefined);
    const c = f.clone();
    c.set("v0", "changed");
    expect([f.get("v0"), f.get("v3"), f.get("v38"), f.get("v40")]).toEqual([true, undefined, true, undefined]);
    expect([c.get("v0"), c.get("v3"), c.get("v39")]).toEqual(["changed", undefined, false]);
  });
});
