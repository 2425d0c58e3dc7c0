import { describe, expect, it } from "vitest";
import {
  RArray, RNumber, RObject, RSet, compare, equals, fromJS, fromJSONText, hashValue, toJS, toJSONText, toRegoString, typeName,
  writeJSON,
} from "./index.js";
import type { Value } from "./index.js";

const n = (s: string): RNumber => RNumber.fromString(s);

describe("RNumber", () => {
  it("keeps big integers exact", () => {
    expect(n("28857836529306024611913").eq(n("28857836529306024611912"))).toBe(false);
    expect(n("18446744073709551617").add(n("1")).toString()).toBe("18446744073709551618");
    expect(n("9223372036854775807").mul(n("2")).toString()).toBe("18446744073709551614");
  });
  it("prints computed results canonically and literals verbatim", () => {
    expect(n("1e6").mul(n("2")).toString()).toBe("2000000");
    expect(n("1e109").div(n("1e100")).toString()).toBe("1000000000");
    expect(n("2e308").toString()).toBe("2e308");
    expect(n("0.1").add(n("0.2")).toString()).toBe("0.3");
    expect(n("1").div(n("4")).toString()).toBe("0.25");
    expect(n("1").div(n("3")).toString()).toBe("0.3333333333333333333");
    expect(n("-0.00001").add(n("0")).toString()).toBe("1e-05".replace("1", "-1"));
  });
  it("treats 1 and 1.0 as the same value", () => {
    expect(equals(n("1"), n("1.0"))).toBe(true);
    expect(hashValue(n("1"))).toBe(hashValue(n("1.00")));
    expect(n("1.0").isInteger()).toBe(true);
    expect(n("1.5").isInteger()).toBe(false);
    expect(n("1e3").toBigInt()).toBe(1000n);
  });
  it("rounds, floors and ceils like Go", () => {
    expect(n("-1.5").round().toString()).toBe("-2");
    expect(n("2.5").round().toString()).toBe("3");
    expect(n("-1.001").floor().toString()).toBe("-2");
    expect(n("-1.99999").ceil().toString()).toBe("-1");
    expect(n("7").rem(n("-4")).toString()).toBe("3");
  });
  it("refuses division by zero and bad literals", () => {
    expect(() => n("1").div(n("0"))).toThrow(/divide by zero/);
    expect(() => n("1x")).toThrow(/invalid number/);
  });
});

describe("order and equality", () => {
  it("orders types null < boolean < number < string < array < object < set", () => {
    const vals: Value[] = [RSet.empty, RObject.empty, new RArray([]), "", n("0"), false, null];
    const sorted = [...vals].sort(compare).map(typeName);
    expect(sorted).toEqual(["null", "boolean", "number", "string", "array", "object", "set"]);
  });
  it("compares strings by code point", () => {
    expect(compare("\u{1F600}", "\uFFFD")).toBe(1);
    expect(compare("a", "ab")).toBe(-1);
  });
  it("treats objects and sets independently of insertion order", () => {
    const a = RObject.from([["x", n("1")], ["y", n("2")]]);
    const b = RObject.from([["y", n("2.0")], ["x", n("1")]]);
    expect(equals(a, b)).toBe(true);
    expect(hashValue(a)).toBe(hashValue(b));
    const s = RSet.from([n("1"), n("1.0"), "a", new RArray([n("1")]), new RArray([n("1.0")])]);
    expect(s.size).toBe(3);
    expect(s.has(new RArray([n("1")]))).toBe(true);
  });
  it("sets support union, intersection and difference", () => {
    const a = RSet.from([n("1"), n("2")]);
    const b = RSet.from([n("2"), n("3")]);
    expect(toRegoString(a.union(b))).toBe("{1, 2, 3}");
    expect(toRegoString(a.intersect(b))).toBe("{2}");
    expect(toRegoString(a.difference(b))).toBe("{1}");
  });
  it("objects are persistent", () => {
    const a = RObject.fromRecord({ a: n("1") });
    const b = a.with("b", true).with(n("1"), "num");
    expect(a.size).toBe(1);
    expect(b.keys()).toEqual([n("1"), "a", "b"]);
    expect(b.get(n("1.0"))).toBe("num");
    expect(b.without("a").size).toBe(2);
  });
});

describe("JSON", () => {
  it("parses numbers losslessly", () => {
    const v = fromJSONText('{"big": 18446744073709551617, "f": 3.14159, "a": [true, null, "\\u00e9\\n"]}');
    expect(toJSONText(v)).toBe('{"a":[true,null,"é\\n"],"big":18446744073709551617,"f":3.14159}');
  });
  it("keeps numbers as written and handles any key", () => {
    const plain = '{"a": [1, -2.5, 0.125], "__proto__": {"x": "1e400"}, "s": "\\u00e9"}';
    expect(toJSONText(fromJSONText(plain))).toBe('{"__proto__":{"x":"1e400"},"a":[1,-2.5,0.125],"s":"é"}');
    expect(toJSONText(fromJSONText("[1.50, 1e2, -0, 12345678901234567]"))).toBe("[1.50,1e2,-0,12345678901234567]");
    // Plain integers take a shortcut: same values and text as the general path.
    const ints = "[0,-5,22,1024,1025,-129,123456789012345,1234567890123456,-0,10.0,7e1]";
    expect(toJSONText(fromJSONText(ints))).toBe(ints);
    expect(equals(fromJSONText("[22, 1025, -129]"), new RArray([n("22"), n("1025"), n("-129")]))).toBe(true);
    expect(() => fromJSONText("[01]")).toThrow(/invalid JSON/);
  });
  it("indexes large objects and sets by hash, small ones by scanning", () => {
    const big = RObject.from(Array.from({ length: 50 }, (_, i) => [i % 2 ? `k${i}` : n(String(i)), n(String(i))] as [Value, Value]));
    expect(big.size).toBe(50);
    expect(big.get(n("10.0"))).toEqual(n("10"));
    expect(big.get("k11")).toEqual(n("11"));
    expect(big.with(n("10"), "x").get(n("10"))).toBe("x");
    expect(big.with("new", true).size).toBe(51);
    const s = RSet.from(Array.from({ length: 30 }, (_, i) => new RArray([n(String(i % 15))])));
    expect(s.size).toBe(15);
  });
  it("parses repeated keys and values matched in place exactly as written", () => {
    // The parser matches a key or value against the last one seen at the same place; texts that
    // only start like it, differ by an escape, or repeat a key must still parse as written.
    const objects = [
      { a: "x", b: "long value repeated here", c: [1] },
      { a: "x", b: "long value repeated here", c: [] },
      { a: "xy", b: "long value repeated her", c: "x" },
      { ab: "x", b: "", c: {} },
      { a: "x\"y", "a\\": "\n", b: "", c: null },
      { a: "x", b: "long value repeated here", c: [1] },
    ];
    const text = JSON.stringify(objects).replace('"a\\\\"', '"\\u0061\\\\"');
    expect(toJS(fromJSONText(text))).toEqual(JSON.parse(text));
    expect(toJS(fromJSONText('[{"a": 1, "b": 2}, {"a": 1, "a": 3}, {"a": 1, "b": 2}]'))).toEqual([{ a: 1, b: 2 }, { a: 3 }, { a: 1, b: 2 }]);
  });
  it("rejects malformed JSON", () => {
    expect(() => fromJSONText("{")).toThrow(/invalid JSON/);
    expect(() => fromJSONText("[1,]")).toThrow(/invalid JSON/);
    expect(() => fromJSONText("1 2")).toThrow(/trailing/);
  });
  it("writes sets as sorted arrays and non-string keys as Rego text", () => {
    const v = RObject.from([[n("1"), RSet.from([n("3"), n("2")])], ["b", "<&>"]]);
    expect(toJSONText(v)).toBe('{"1":[2,3],"b":"<&>"}');
    expect(writeJSON(v, { escapeHTML: true })).toBe('{"1":[2,3],"b":"\\u003c\\u0026\\u003e"}');
    expect(toJSONText(new RArray([n("1"), RObject.empty]), 2)).toBe("[\n  1,\n  {}\n]");
  });
  it("converts to and from plain JS", () => {
    const v = fromJS({ a: [1, 2.5, "x"], b: null, c: 10n ** 20n });
    expect(toJSONText(v)).toBe('{"a":[1,2.5,"x"],"b":null,"c":100000000000000000000}');
    expect(toJS(RSet.from(["b", "a"]))).toEqual(["a", "b"]);
  });
});

describe("Rego printing", () => {
  it("prints composites in Rego syntax", () => {
    const v = fromJS({ s: new Set([1, 2]), e: new Set(), a: ["x"] });
    expect(toRegoString(v)).toBe('{"a": ["x"], "e": set(), "s": {1, 2}}');
  });
});
