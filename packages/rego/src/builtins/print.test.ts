import { describe, expect, it } from "vitest";
import { RArray, RSet, fromJSONText } from "../value/index.js";
import { builtins } from "./index.js";
import { BuiltinError } from "./registry.js";
import { callValues, testContext } from "./test-helpers.js";

const v = fromJSONText;

describe("print", () => {
  it("prints strings bare and other values in Rego syntax, undefined as <undefined>", () => {
    const ctx = testContext();
    const args = new RArray([RSet.from(["hi"]), RSet.from([v('{"a": [1, 2.5]}')]), RSet.empty, RSet.from([RSet.empty])]);
    callValues("internal.print", [args], ctx);
    expect(ctx.printed).toEqual(['hi {"a": [1, 2.5]} <undefined> set()']);
  });
  it("prints one line per combination of values", () => {
    const ctx = testContext();
    callValues("internal.print", [new RArray([RSet.from(["x"]), RSet.from([v("2"), v("1")])])], ctx);
    expect(ctx.printed).toEqual(["x 1", "x 2"]);
  });
  it("accepts plain values when called directly", () => {
    const ctx = testContext();
    callValues("print", ["a", v("[1]"), null], ctx);
    expect(ctx.printed).toEqual(["a [1] null"]);
  });
});

describe("template strings", () => {
  it("joins literal parts and formatted values", () => {
    const parts = new RArray(["n=", RSet.from([v("42")]), ", s=", RSet.from(["x"]), ", u=", RSet.empty, ", c=", RSet.from([v('{"k": "v"}')])]);
    expect(callValues("internal.template_string", [parts])).toBe('"n=42, s=x, u=<undefined>, c={\\"k\\": \\"v\\"}"');
  });
  it("refuses an expression with several values", () => {
    expect(() => callValues("internal.template_string", [new RArray([RSet.from(["a", "b"])])])).toThrow(/multiple outputs/);
  });
});

describe("platform-disabled builtins", () => {
  it("http.send fails with a halting error when disabled", () => {
    const ctx = testContext({ disabled: new Set(["http.send"]) });
    try {
      builtins.get("http.send")!.fn([v("{}")], ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BuiltinError);
      expect((e as BuiltinError).halt).toBe(true);
      expect((e as BuiltinError).message).toMatch(/^http.send: http.send is disabled/);
    }
  });
  it("time.now_ns returns the query's fixed clock", () => {
    expect(callValues("time.now_ns", [], testContext({ nowNs: 1234n }))).toBe("1234");
  });
  it("opa.runtime is refused when disabled", () => {
    expect(() => callValues("opa.runtime", [], testContext({ disabled: new Set(["opa.runtime"]) }))).toThrow(/disabled/);
  });
});
