import { describe, expect, it } from "vitest";
import { compile, RegoError, toJSONText } from "../../index.js";
import type { EvalInput } from "../../index.js";
import { planInput } from "../../../bench/plan-input.js";
import { QUERIES, REGO_POLICIES } from "../../../bench/policies.js";

/**
 * Generated code runs unless something observes single steps; a coverage hook is one, so the
 * same query with `onCover` set is answered by the interpreter. Both must agree on every shape.
 */
function both(source: string, query: string, opts: EvalInput = {}): [string, string] {
  const q = compile({ modules: [{ file: "p.rego", source }] }).prepare(query);
  const run = (o: EvalInput): string => {
    try {
      const rs = q.eval(o);
      return rs.length === 0 ? "undefined" : toJSONText(rs[0]!.expressions[0]!.value);
    } catch (e) {
      return e instanceof RegoError ? `error: ${e.message}` : `thrown: ${String(e)}`;
    }
  };
  return [run(opts), run({ ...opts, onCover: () => {} })];
}

const INPUT = {
  xs: [1, 2, 3, 4],
  ys: { b: 2, a: 1, c: 3 },
  s: ["x", "y"],
  mixed: ["a", 1],
  rcs: Array.from({ length: 40 }, (_, i) => ({ type: i % 3 === 0 ? "db" : "vm", name: `r${i}`, tags: i % 4 === 0 ? {} : { owner: "me" }, n: i })),
};

const CASES: [name: string, source: string, query: string][] = [
  ["loops, tests and assignments", "package p\nout contains y if { some x in input.xs; x > 1; y := x * 10 }", "data.p.out"],
  ["object members in key order", "package p\nout := [v | some v in input.ys]", "data.p.out"],
  ["indexed loop with a partition", "package p\nout contains rc.name if { some rc in input.rcs; rc.type == \"db\"; rc.n > 10 }", "data.p.out"],
  ["indexed loop whose value no member has", "package p\nout contains rc.name if { some rc in input.rcs; rc.type == \"none\" }\nn := count(out)", "data.p"],
  ["one-level object rule", "package p\nm[rc.type] := rc.n if { some rc in input.rcs; rc.n < 2 }", "data.p.m"],
  ["one-level object rule with a key conflict", "package p\nm[rc.type] := rc.n if { some rc in input.rcs }", "data.p.m"],
  ["a large rule object iterated in key order", "package p\nm[rc.name] := rc.n if { some rc in input.rcs }\nout := [n | some n in m]", "data.p.out"],
  ["negation and comprehensions", "package p\nreq := {\"owner\", \"env\"}\nout contains [rc.name, missing] if { some rc in input.rcs; missing := {t | some t in req; not rc.tags[t]}; count(missing) > 1 }", "data.p.out"],
  ["inlined and called functions", "package p\nf(x) := x + 1\ng(x) := y if { some y in [x, x] }\nh(x) if x.type in {\"db\"}\nout := [f(1), g(2)]\nn := count([rc | some rc in input.rcs; h(rc)])", "data.p"],
  ["conflicting function outputs", "package p\ng(x) := y if { some y in [x, x + 1] }\nout := g(1)", "data.p.out"],
  ["conflicting complete rule", "package p\nout := x if { some x in input.xs }", "data.p.out"],
  ["unify both ways and compare", "package p\nout if { x = input.xs[0]; 1 = y; x == y; input.s[1] = \"y\" }", "data.p.out"],
  ["sprintf of strings and of numbers", "package p\nout := [sprintf(\"%s-%s\", [\"a\", \"b\"]), sprintf(\"%s/%v\", [1, input.s])]", "data.p.out"],
  ["builtin shortcuts on other types", "package p\nout := [count(\"abc\"), object.get({\"a\": 1}, \"a\", 0), object.get(input.xs, \"a\", 0), sort({3, 1})]\nmixed := concat(\",\", input.mixed)\nstrs := concat(\",\", input.s)", "data.p"],
  ["undefined operands end the body", "package p\nout contains x if { some x in input.xs; input.missing.x == x }\nalso := 1 if { input.nothing }", "data.p"],
  ["rule documents and refs into them", "package p\nm[k] := v if { some k, v in input.ys }\nout contains k if { some k in [\"a\", \"z\"]; m[k] }", "data.p.out"],
  ["every and with stay with the interpreter", "package p\nall_pos if every x in input.xs { x > 0 }\nw := v if { v := input.xs[0] with input.xs as [9] }", "data.p"],
  ["builtin errors in strict mode", "package p\nout := x if { x := 1 / 0 }", "data.p.out"],
];

describe("generated rule bodies", () => {
  it.each(CASES)("agree with the interpreter: %s", (_name, source, query) => {
    const [generated, interpreted] = both(source, query, { input: INPUT });
    expect(generated).toBe(interpreted);
    expect(generated).not.toMatch(/^thrown/);
  });

  it("raise strict builtin errors as the interpreter does", () => {
    const [generated, interpreted] = both("package p\nout := x if { x := 1 / 0 }", "data.p.out", { strictBuiltinErrors: true });
    expect(generated).toMatch(/eval_builtin_error: div: divide by zero/);
    expect(generated).toBe(interpreted);
  });

  it.each([
    ["a partitioned loop", "package p\nreq := {\"owner\", \"env\"}\nout contains rc.name if { some rc in input.rcs; rc.type == \"vm\"; missing := {t | some t in req; not rc.tags[t]}; count(missing) > 0 }"],
    ["a partitioned loop whose other tests fail", "package p\nout contains rc.name if { some rc in input.rcs; rc.type == \"db\"; rc.n > 20; rc.tags.owner }"],
    ["an indexed loop without a partition", "package p\nout contains rc.name if { some rc in input.rcs; rc.n > 20; rc.tags.owner == \"me\" }"],
  ])("count the same steps, so maxSteps stops both at the same point: %s", (_name, source) => {
    const q = compile({ modules: [{ file: "p.rego", source }] }).prepare("data.p.out");
    const fewest = (cover: boolean): number => {
      for (let n = 1; n < 5000; n++) {
        try { q.eval({ input: INPUT, maxSteps: n, ...(cover ? { onCover: () => {} } : {}) }); return n; } catch { /* over the limit */ }
      }
      return -1;
    };
    const n = fewest(false);
    expect(n).toBeGreaterThan(40);
    expect(n).toBe(fewest(true));
  });

  it("generate code for every body of the benchmark's plan policies", () => {
    const made: string[] = [];
    const Original = globalThis.Function;
    globalThis.Function = new Proxy(Original, { construct(target, args: string[]) { made.push(args.at(-1)!); return Reflect.construct(target, args) as object; } });
    try {
      const policy = compile({ modules: Object.entries(REGO_POLICIES).map(([file, source]) => ({ file, source })) });
      for (const q of QUERIES) policy.prepare(q).eval({ input: planInput(30) });
    } finally {
      globalThis.Function = Original;
    }
    // tags: deny, required; databases: deny; s3: flags, blocks, deny, warn; cost: expensive,
    // created_instances, two warns. None falls back to the interpreter.
    expect(made.length).toBe(11);
    expect(made.every((src) => !src.includes("evalBody"))).toBe(true);
  });
});
