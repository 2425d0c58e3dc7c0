import { describe, expect, it } from "vitest";
import { compile, fromJSONText, RegoError, toJSONText } from "../index.js";
import type { EvalInput, Location } from "../index.js";
import { internalize } from "../value/internalize.js";

function evalOne(source: string, query: string, opts: EvalInput = {}): string {
  const rs = compile({ modules: [{ file: "p.rego", source }] }).prepare(query).eval(opts);
  return rs.length === 0 ? "undefined" : toJSONText(rs[0]!.expressions[0]!.value);
}

describe("filtering comprehensions", () => {
  const src = `package p
required := {"owner", "env", "cost-center"}
missing := {t | some t in required; not input.tags[t]}
big := [v | some v in {"b": 2, "a": 1, "c": 3}; v > 1; v != 7]
none := {x | some x in input.absent}
chars := [x | some x in "abc"]
counted := [x | some x in [1, 2, 3]; count([x], n)]
`;

  it("keeps the members every filter holds for, in the domain's order", () => {
    expect(evalOne(src, "data.p.missing", { input: { tags: { owner: "a", env: false } } })).toBe('["cost-center","env"]');
    // Only false and undefined fail a test: an empty tag value is present.
    expect(evalOne(src, "data.p.missing", { input: { tags: { owner: "a", env: "" } } })).toBe('["cost-center"]');
    expect(evalOne(src, "data.p.missing", { input: { tags: { owner: "a", env: "b", "cost-center": "c" } } })).toBe("[]");
    expect(evalOne(src, "data.p.big")).toBe("[2,3]");
  });

  it("gives an empty collection over an undefined or non-collection domain", () => {
    expect(evalOne(src, "data.p.none", { input: {} })).toBe("[]");
    expect(evalOne(src, "data.p.chars")).toBe("[]");
  });

  it("leaves a filter that binds an output operand to the general path", () => {
    expect(evalOne(src, "data.p.counted")).toBe("[1,2,3]");
  });

  it("counts steps and reports coverage of each filter", () => {
    const loop = "package p\nxs := [x | some x in numbers.range(1, 5000); x > 0]";
    const policy = compile({ modules: [{ file: "p.rego", source: loop }] });
    expect(() => policy.prepare("data.p.xs").eval({ maxSteps: 1000 })).toThrow(/exceeded the limit of 1000 steps/);
    const rows = new Set<number>();
    const cover = (loc: Location): void => { rows.add(loc.row); };
    compile({ modules: [{ file: "p.rego", source: "package p\nxs := [x |\n  some x in [1, 2]\n  x > 1\n]" }] }).prepare("data.p.xs").eval({ onCover: cover });
    expect([...rows].sort()).toEqual(expect.arrayContaining([3, 4]));
  });
});

describe("functions whose body only tests", () => {
  const src = `package p
taggable(rc) if rc.type in {"aws_instance", "aws_s3_bucket"}
visible(x) if not x.hidden
prefixed(s) if { startswith(s, "a"); endswith(s, "z") }
`;

  it("holds when every test does, and is undefined otherwise", () => {
    expect(evalOne(src, 'data.p.taggable({"type": "aws_s3_bucket"})')).toBe("true");
    expect(evalOne(src, 'data.p.taggable({"type": "aws_vpc"})')).toBe("undefined");
    expect(evalOne(src, 'data.p.visible({"hidden": false})')).toBe("true");
    expect(evalOne(src, 'data.p.visible({"hidden": true})')).toBe("undefined");
    expect(evalOne(src, 'data.p.prefixed("abz")')).toBe("true");
    expect(evalOne(src, 'data.p.prefixed("abc")')).toBe("undefined");
  });
});

describe("builtin calls", () => {
  it("treats operands of the wrong type as undefined, or as an error when strict", () => {
    const src = 'package p\ntags := object.get(input.after, "tags", {})';
    expect(evalOne(src, "data.p.tags", { input: { after: null } })).toBe("undefined");
    expect(evalOne(src, "data.p.tags", { input: { after: { tags: { a: 1 } } } })).toBe('{"a":1}');
    try {
      evalOne(src, "data.p.tags", { input: { after: null }, strictBuiltinErrors: true });
      expect.unreachable("strict evaluation must fail");
    } catch (e) {
      expect(e).toBeInstanceOf(RegoError);
      expect((e as RegoError).message).toContain("object.get: operand 1 must be object but got null");
    }
  });

  it("counts collections and looks up constant keys directly, leaving the rest to the builtin", () => {
    const src = `package p
n := count(input.x)
tags := object.get(input.after, "tags", {})
mocked := m if {
  m := count(input.x) with count as 42
}
`;
    expect(evalOne(src, "data.p.n", { input: { x: [1, 2, 3] } })).toBe("3");
    expect(evalOne(src, "data.p.n", { input: { x: { a: 1 } } })).toBe("1");
    expect(evalOne(src, "data.p.n", { input: { x: "åäö" } })).toBe("3");
    expect(evalOne(src, "data.p.n", { input: { x: 7 } })).toBe("undefined");
    expect(evalOne(src, "data.p.mocked", { input: { x: [1] } })).toBe("42");
    expect(evalOne(src, "data.p.tags", { input: { after: { name: "a" } } })).toBe("{}");
    expect(evalOne(src, "data.p.tags", { input: { after: { tags: "t" } } })).toBe("\"t\"");
    expect(evalOne(src, "data.p.tags", { input: { after: "s" } })).toBe("undefined");
    expect(() => evalOne(src, "data.p.n", { input: { x: 7 }, strictBuiltinErrors: true })).toThrow(/count: operand 1/);
  });

  it("formats plain %s and %v over strings, and everything else the general way", () => {
    expect(evalOne("package p", 'sprintf("%s and %v", ["a", "b"])')).toBe('"a and b"');
    expect(evalOne("package p", 'sprintf("%s", ["a", "b"])')).toBe('"a%!(EXTRA string=b)"');
    expect(evalOne("package p", 'sprintf("%s has %d", ["a", 2])')).toBe('"a has 2"');
    expect(evalOne("package p", 'sprintf("%5s|", ["a"])')).toBe('"    a|"');
  });

  it("sorts sets and arrays in OPA's order", () => {
    expect(evalOne("package p", 'sort({"b", "a", "ä", 1})')).toBe('[1,"a","b","ä"]');
    expect(evalOne("package p", 'sort(["b", "a", 2, 1])')).toBe('[1,2,"a","b"]');
  });

  it("tests membership in arrays, sets and objects", () => {
    expect(evalOne("package p", '"create" in ["update", "create"]')).toBe("true");
    expect(evalOne("package p", "1 in [1.0]")).toBe("true");
    expect(evalOne("package p", '"x" in {"x"}')).toBe("true");
    expect(evalOne("package p", '2 in {"a": 2}')).toBe("true");
    expect(evalOne("package p", 'not "a" in {"a": 2}')).toBe("true");
    expect(evalOne("package p", '1, "b" in ["a", "b"]')).toBe("true");
  });
});

describe("strings parsed from JSON", () => {
  it("are copies of their own that sort and compare like any string", () => {
    const long = Array.from({ length: 50 }, (_, i) => `module.m${i % 7}.aws_instance.r${49 - i}`);
    const doc = fromJSONText(JSON.stringify({ xs: long }));
    const src = "package p\nsorted := sort({x | some x in input.xs})";
    expect(evalOne(src, "data.p.sorted", { input: doc })).toBe(JSON.stringify([...long].sort()));
    expect(internalize("x".repeat(20).slice(1))).toBe("x".repeat(19));
    expect(internalize("__proto__")).toBe("__proto__");
  });
});
