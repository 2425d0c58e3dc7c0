import { describe, expect, it } from "vitest";
import { compile, fromJSONText, toJSONText } from "../index.js";
import type { EvalInput, Location } from "../index.js";
import type { Value } from "../value/index.js";

function evalOne(source: string, query: string, opts: EvalInput = {}): string {
  const rs = compile({ modules: [{ file: "p.rego", source }] }).prepare(query).eval(opts);
  return rs.length === 0 ? "undefined" : toJSONText(rs[0]!.expressions[0]!.value);
}

/**
 * The smallest step limit the query evaluates under (binary search over maxSteps). Each
 * evaluation gets its own copy of the input: queries over one input object share the values of
 * rules that depend on it alone, and would take no steps for them after the first.
 */
function stepsTaken(source: string, query: string, input: Value): number {
  const text = toJSONText(input);
  const q = compile({ modules: [{ file: "p.rego", source }] }).prepare(query);
  let lo = 1;
  let hi = 1_000_000;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    try { q.eval({ input: fromJSONText(text), maxSteps: mid }); hi = mid; } catch { lo = mid + 1; }
  }
  return lo;
}

// Members of many shapes: the index must answer exactly as testing each member would.
const members = Array.from({ length: 40 }, (_, i) => (
  i % 9 === 8 ? "not an object"
    : i % 7 === 6 ? { name: `m${i}` }
      : { name: `m${i}`, type: ["a", "b", "c"][i % 3], n: i % 4 === 0 ? 1 : i % 4 === 1 ? "ONE_POINT_ZERO" : i % 4 === 2 ? "1" : 2, tags: i % 5 === 0 ? ["x"] : ["y", "z"], hidden: i % 2 === 0 }
));

const policy = `package p
import rego.v1

by_type contains x.name if {
  some x in input.xs
  x.type == "a"
}
ordered := [x.name | some x in input.xs; x.type in {"a", "c"}; not x.hidden]
numbers contains x.name if {
  some x in input.xs
  x.n == 1
}
tagged contains x.name if {
  some x in input.xs
  "x" in x.tags
  x.type != "b"
}
firsts := [x | some x in input.xs; x.type == "b"; x.name != "m1"]
`;

/** The same checks written so that nothing can be indexed (the test is not a constant). */
const unindexed = policy.replaceAll('"a"', 'concat("", ["a"])').replaceAll('== 1', '== to_number("1")').replaceAll('"x" in', 'concat("", ["x"]) in');

describe("iteration index", () => {
  // 1.0 written as such: the index must compare numbers by value, not by their text.
  const input = fromJSONText(JSON.stringify({ xs: members }).replaceAll('"ONE_POINT_ZERO"', "1.0"));

  it("gives the same answers as testing each member, in the collection's order", () => {
    for (const q of ["data.p.by_type", "data.p.ordered", "data.p.numbers", "data.p.tagged", "data.p.firsts"]) {
      const indexed = evalOne(policy, q, { input });
      expect(indexed).toBe(evalOne(unindexed, q, { input }));
      expect(indexed).not.toBe("[]");
    }
    // Numbers compare by value (1 and 1.0 match, "1" does not); undefined paths never match.
    const numbers = JSON.parse(evalOne(policy, "data.p.numbers", { input })) as string[];
    expect(numbers).toContain("m0");
    expect(numbers).toContain("m1");
    expect(numbers).not.toContain("m2");
    expect(numbers).not.toContain("m6");
  });

  it("answers for each collection, including one replaced with `with`", () => {
    const q = compile({ modules: [{ file: "p.rego", source: `${policy}
replaced := r if {
  r := by_type with input.xs as [{"name": "w", "type": "a"}, {"name": "v", "type": "b"}]
}
` }] });
    const other = { xs: members.slice(0, 30).reverse() };
    const run = (query: string, inp: unknown): string => toJSONText(q.prepare(query).eval({ input: inp })[0]!.expressions[0]!.value);
    expect(run("data.p.ordered", input)).toBe(evalOne(unindexed, "data.p.ordered", { input }));
    expect(run("data.p.ordered", other)).toBe(evalOne(unindexed, "data.p.ordered", { input: other }));
    expect(run("data.p.ordered", input)).toBe(evalOne(unindexed, "data.p.ordered", { input }));
    expect(run("data.p.replaced", input)).toBe('["w"]');
  });

  it("counts the steps the skipped members would have taken", () => {
    // A small collection runs its tests inline instead: the same steps again.
    const small = fromJSONText(JSON.stringify({ xs: members.slice(0, 9) }));
    for (const q of ["data.p.by_type", "data.p.ordered", "data.p.tagged", "data.p.firsts"]) {
      expect(stepsTaken(policy, q, input)).toBe(stepsTaken(unindexed, q, input));
      expect(stepsTaken(policy, q, small)).toBe(stepsTaken(unindexed, q, small));
    }
  });

  it("shares one partition per path between loop sites testing different constants", () => {
    // `x.k.t == "c"` (either side) is answered from one partition of xs by the value at k.t;
    // members without it, or with a non-string there, are in no group.
    const xs = Array.from({ length: 30 }, (_, i) => ({ name: `m${i}`, k: i % 6 === 5 ? 7 : i % 6 === 4 ? {} : { t: ["a", "b", "c"][i % 3] }, on: i % 2 === 0 }));
    const src = `package p
import rego.v1
aa contains x.name if { some x in input.xs; x.k.t == "a"; x.on }
bb contains x.name if { some x in input.xs; "b" == x.k.t }
cc := [x.name | some x in input.xs; x.k.t == "c"]
all := [aa, bb, cc]
`;
    const plain = src.replaceAll(/"([abc])"/g, 'concat("", ["$1"])');
    const doc = fromJSONText(JSON.stringify({ xs }));
    const expected = evalOne(plain, "data.p.all", { input: doc });
    expect(evalOne(src, "data.p.all", { input: doc })).toBe(expected);
    expect(JSON.parse(expected)).toEqual([["m0", "m12", "m18", "m24", "m6"], ["m1", "m13", "m19", "m25", "m7"], ["m2", "m8", "m14", "m20", "m26"]]);
    expect(stepsTaken(src, "data.p.all", doc)).toBe(stepsTaken(plain, "data.p.all", doc));
  });

  it("reports coverage of a test no member passes", () => {
    const rows = new Set<number>();
    const cover = (loc: Location): void => { rows.add(loc.row); };
    const src = "package p\nnone contains x if {\n  some x in input.xs\n  x.type == \"zzz\"\n}\n";
    compile({ modules: [{ file: "p.rego", source: src }] }).prepare("data.p.none").eval({ input, onCover: cover });
    expect([...rows]).toContain(4);
  });
});
