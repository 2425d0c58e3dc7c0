import { describe, expect, it } from "vitest";
import { RSet, fromJSONText } from "../value/index.js";
import { callJSON, callValues } from "./test-helpers.js";

describe("operators", () => {
  it("does exact arithmetic", () => {
    expect(callJSON("plus", "18446744073709551617", "1")).toBe("18446744073709551618");
    expect(callJSON("div", "1e109", "1e100")).toBe("1000000000");
    expect(callJSON("rem", "7", "4")).toBe("3");
  });
  it("reports OPA's errors", () => {
    expect(() => callJSON("plus", '"a"', "1")).toThrow("plus: operand 1 must be number but got string");
    expect(() => callJSON("div", "1", "0")).toThrow("div: divide by zero");
    expect(() => callJSON("rem", "1.1", "1")).toThrow("modulo on floating-point number");
    expect(() => callValues("minus", [RSet.from([]), fromJSONText("1")])).toThrow("operand 2 must be set but got number");
  });
  it("compares with OPA's order", () => {
    expect(callJSON("lt", "null", "false")).toBe("true");
    expect(callJSON("gt", '"a"', "1000")).toBe("true");
    expect(callJSON("equal", "1", "1.0")).toBe("true");
  });
});

describe("aggregates and collections", () => {
  it("counts code points and aggregates", () => {
    expect(callJSON("count", '"åäö"')).toBe("3");
    expect(callJSON("sum", "[1, 2.5]")).toBe("3.5");
    expect(callJSON("max", "[]")).toBe("undefined");
    expect(callJSON("sort", '[3, "a", null]')).toBe('[null,3,"a"]');
  });
  it("handles arrays and objects", () => {
    expect(callJSON("array.slice", "[1,2,3,4,5]", "-1", "2")).toBe("[1,2]");
    expect(callJSON("array.flatten", "[[1,[2]],3]")).toBe("[1,[2],3]");
    expect(callJSON("object.union", '{"a":{"b":1}}', '{"a":{"c":2}}')).toBe('{"a":{"b":1,"c":2}}');
    expect(callJSON("object.get", '{"a":{"b":1}}', '["a","b"]', "0")).toBe("1");
    expect(callJSON("object.subset", "[1,2,3,4]", "[2,3]")).toBe("true");
  });
});

describe("strings", () => {
  it("works in code points", () => {
    expect(callJSON("substring", '"aåäö"', "2", "-1")).toBe('"äö"');
    expect(callJSON("indexof", '"åäöx"', '"x"')).toBe("3");
    expect(callJSON("strings.reverse", '"a😀b"')).toBe('"b😀a"');
  });
  it("splits with a limit like Go's SplitN", () => {
    expect(callJSON("strings.split_n", '"a,b,c"', '","', "2")).toBe('["a","b,c"]');
    expect(callJSON("strings.split_n", '"a,b,c"', '","', "-1")).toBe('["a","b","c"]');
    expect(callJSON("strings.split_n", '"a,b,c"', '","', "0")).toBe("[]");
  });
  it("maps case per code point like Go", () => {
    expect(callJSON("upper", '"straße ǆ"')).toBe('"STRAßE Ǆ"');
    expect(callJSON("lower", '"ÅB"')).toBe('"åb"');
  });
  it("names the offending element type", () => {
    expect(() => callJSON("concat", '","', '["a", 1]')).toThrow("concat: operand 2 must be array of strings but got array containing number");
    expect(() => callJSON("sum", '[1, "2"]')).toThrow("sum: operand 1 must be array of numbers but got array containing string");
  });
  it("replaces patterns in key order", () => {
    expect(callJSON("strings.replace_n", '{"f":"x","foo":"xxx"}', '"foobar"')).toBe('"xoobar"');
    expect(callJSON("trim", '"  hi o"', '" o"')).toBe('"hi"');
  });
  it("formats like Go's fmt", () => {
    expect(callJSON("sprintf", '"%02d %02X %.2f %s %v"', '[5, 127, 3.1415, true, ["there", 5, 3.14]]')).toBe(
      JSON.stringify('05 7F 3.14 true ["there", 5, 3.14]'),
    );
    expect(callJSON("sprintf", '"%v %s"', "[2e308, 123456789123456789123]")).toBe('"2e308 123456789123456789123"');
    expect(callJSON("sprintf", '"%d %d"', "[1]")).toBe('"1 %!d(MISSING)"');
  });
});

describe("operand type pre-checks", () => {
  it("flags calls that can only fail and agrees with the builtins", async () => {
    const { builtins, operandsAcceptable } = await import("./index.js");
    const get = builtins.get("object.get")!;
    expect(operandsAcceptable(get, [null, "a", null])).toBe(false);
    expect(() => callValues("object.get", [null, "a", null])).toThrow(/operand 1 must be object/);
    expect(operandsAcceptable(get, [fromJSONText("{}"), "a", null])).toBe(true);
    expect(operandsAcceptable(builtins.get("count")!, [fromJSONText("1")])).toBe(false);
    expect(operandsAcceptable(builtins.get("walk")!, [null])).toBe(true);
  });
});
