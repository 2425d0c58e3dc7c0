import { describe, expect, it } from "vitest";
import { compile, RegoError, toJSONText } from "../index.js";
import type { EvalInput } from "../index.js";

function evalOne(source: string, query: string, opts: EvalInput = {}, version: 0 | 1 = 1): string {
  const policy = compile({ modules: [{ file: "p.rego", source, regoVersion: version }] });
  const rs = policy.prepare(query).eval(opts);
  if (rs.length === 0) return "undefined";
  return toJSONText(rs[0]!.expressions[0]!.value);
}

function evalError(source: string, query: string, opts: EvalInput = {}): RegoError {
  try {
    const policy = compile({ modules: [{ file: "p.rego", source }] });
    policy.prepare(query).eval(opts);
  } catch (e) {
    if (e instanceof RegoError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("evaluator", () => {
  it("treats undefined as not false", () => {
    const src = "package p\nallow if input.x == 1\ndeny if not allow";
    expect(evalOne(src, "data.p.allow", { input: {} })).toBe("undefined");
    expect(evalOne(src, "data.p.deny", { input: {} })).toBe("true");
  });

  it("builds sets, objects and ref-head documents", () => {
    const src = 'package p\ns contains x if some x in [3, 1, 3]\no[k] := v if some k, v in {"a": 1}\na.b[x].c := 1 if x := "y"';
    expect(evalOne(src, "data.p")).toBe('{"a":{"b":{"y":{"c":1}}},"o":{"a":1},"s":[1,3]}');
  });

  it("raises eval_conflict_error for complete rules with two values", () => {
    const e = evalError("package p\nx := 1\nx := 2 if true", "data.p.x");
    expect(e.code).toBe("eval_conflict_error");
    expect(e.message).toBe("p.rego:3: eval_conflict_error: complete rules must not produce multiple outputs");
  });

  it("reports unsafe vars and recursion at compile time", () => {
    expect(evalError("package p\np if { x > 1 }", "data.p.p").code).toBe("rego_unsafe_var_error");
    const rec = evalError("package p\na if b\nb if a", "data.p.a");
    expect(rec.code).toBe("rego_recursion_error");
    expect(rec.message).toContain("rule data.p.a is recursive");
  });

  it("invalidates memoized rules under `with`", () => {
    const src = "package p\nv := input.x\nboth := [v, w] if w := v with input.x as 2";
    expect(evalOne(src, "data.p.both", { input: { x: 1 } })).toBe("[1,2]");
  });

  it("mocks functions and builtins with `with`", () => {
    const src = "package p\nf(x) := x * 10\ng(x) := x + 1\nr := [f(1), count([1])]\nm := x if { x := r with f as g with count as 7 }";
    expect(evalOne(src, "data.p.m")).toBe("[2,7]");
  });

  it("iterates with `some`, `every` and comprehensions", () => {
    const src = "package p\nall_pos if every x in input.xs { x > 0 }\nsq := [y | some x in input.xs; y := x * x]";
    expect(evalOne(src, "data.p.all_pos", { input: { xs: [1, 2] } })).toBe("true");
    expect(evalOne(src, "data.p.all_pos", { input: { xs: [1, -2] } })).toBe("undefined");
    expect(evalOne(src, "data.p.sq", { input: { xs: [1, 2] } })).toBe("[1,4]");
  });

  it("keeps big numbers exact", () => {
    expect(evalOne("package p\nx := 18446744073709551617 + 1", "data.p.x")).toBe("18446744073709551618");
  });

  it("sends print output to the sink, with <undefined> for undefined operands", () => {
    const lines: string[] = [];
    evalOne('package p\nx if { print("hi", input.missing, {1}) }', "data.p.x", { input: {}, print: (l) => lines.push(l) });
    expect(lines).toEqual(["hi <undefined> {1}"]);
  });

  it("stops runaway evaluation at the step limit", () => {
    const src = "package p\nn := count([1 | some a in numbers.range(1, 300); some b in numbers.range(1, 300)])";
    const e = evalError(src, "data.p.n", { maxSteps: 1000 });
    expect(e.code).toBe("eval_cancel_error");
    expect(e.message).toContain("steps");
  });

  it("stops runaway evaluation at the time limit", () => {
    const src = "package p\nn := count([1 | some a in numbers.range(1, 2000); some b in numbers.range(1, 2000)])";
    const e = evalError(src, "data.p.n", { maxTimeMs: 20 });
    expect(e.code).toBe("eval_cancel_error");
    expect(e.message).toContain("time limit");
  });

  it("raises builtin errors only when strict", () => {
    const src = 'package p\nx := 1 + input.s';
    expect(evalOne(src, "data.p.x", { input: { s: "a" } })).toBe("undefined");
    const e = evalError(src, "data.p.x", { input: { s: "a" }, strictBuiltinErrors: true });
    expect(e.code).toBe("eval_type_error");
  });

  it("evaluates v0 modules next to v1 ones", () => {
    const policy = compile({
      modules: [
        { file: "old.rego", source: "package old\nxs[x] { x := input.v }", regoVersion: 0 },
        { file: "new.rego", source: "package new\nok if data.old.xs[1]" },
      ],
    });
    expect(policy.eval("data.new.ok", { input: { v: 1 } })[0]!.expressions[0]!.value).toBe(true);
  });
});

describe("platform facade options", () => {
  it("fixes time.now_ns to the request timestamp", () => {
    const policy = compile({ modules: [{ file: "p.rego", source: "package p\nnow := time.now_ns()" }] });
    expect(toJSONText(policy.eval("data.p.now", { nowNs: 1700000000000000001n })[0]!.expressions[0]!.value)).toBe("1700000000000000001");
  });

  it("refuses disabled builtins with a clear error even when not strict", () => {
    const policy = compile({
      modules: [{ file: "p.rego", source: 'package p\nr := http.send({"method": "GET", "url": "http://x"})' }],
      disabledBuiltins: ["http.send"],
    });
    let err: RegoError | undefined;
    try { policy.eval("data.p.r"); } catch (e) { err = e as RegoError; }
    expect(err).toBeInstanceOf(RegoError);
    expect(err!.message).toContain("http.send");
  });

  it("replaces base data with setData", () => {
    const policy = compile({ modules: [{ file: "p.rego", source: "package p\nv := data.cfg.limit" }], data: { cfg: { limit: 1 } } });
    expect(toJSONText(policy.eval("data.p.v")[0]!.expressions[0]!.value)).toBe("1");
    policy.setData({ cfg: { limit: 2 } });
    expect(toJSONText(policy.eval("data.p.v")[0]!.expressions[0]!.value)).toBe("2");
  });

  it("reports a query expression's value under its own with modifiers", () => {
    const src = "package p\nx := input.a * 10\nf(v) := v + 1";
    expect(evalOne(src, 'data.p.x with input as {"a": 1}', { input: { a: 5 } })).toBe("10");
    expect(evalOne(src, "data.p.x with input.a as 2")).toBe("20");
    expect(evalOne(src, "data.p.f(1) with data.p.f as 7")).toBe("7");
    // Without modifiers the evaluation's own input is used; a later expression sees it again.
    const policy = compile({ modules: [{ file: "p.rego", source: src }] });
    const rs = policy.prepare('data.p.x with input as {"a": 3}; y := data.p.x').eval({ input: { a: 4 } });
    expect(rs.map((r) => r.expressions.map((e) => toJSONText(e.value)))).toEqual([["30", "true"]]);
    expect(toJSONText(rs[0]!.bindings.get("y")!)).toBe("40");
  });
});
