import { describe, expect, it } from "vitest";
import { ExactNumber, Unknown, isUnknown } from "../values.js";
import type { CtyType } from "../types.js";
import { decodeMsgpack, encodeMsgpack } from "./msgpack.js";
import { decodeJson, encodeJson } from "./json.js";
import { withType } from "./type.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));

describe("cty msgpack", () => {
  it("encodes null and unknown the way cty does", () => {
    expect(hex(encodeMsgpack(null, "string"))).toBe("c0");
    expect(hex(encodeMsgpack(Unknown, "string"))).toBe("d40000");
    expect(hex(encodeMsgpack(Unknown, "dynamic"))).toBe("d40000");
  });

  it("decodes plain and refined unknowns to the marker", () => {
    expect(isUnknown(decodeMsgpack(bytes("d40000"), "string"))).toBe(true);
    // refined unknown: ext 0x0c carrying a map {1: true} ("definitely not null")
    expect(isUnknown(decodeMsgpack(bytes("c7 03 0c 81 01 c3"), "string"))).toBe(true);
    const obj = decodeMsgpack(bytes("82 a1 61 d4 00 00 a1 62 c7 03 0c 81 01 c3"), ["object", { a: "string", b: "number" }]) as Record<string, unknown>;
    expect(isUnknown(obj.a) && isUnknown(obj.b)).toBe(true);
  });

  it("wraps dynamic values with their JSON type", () => {
    const encoded = encodeMsgpack("hi", "dynamic");
    expect(hex(encoded)).toBe("92" + "c408" + Buffer.from('"string"').toString("hex") + "a26869");
    expect(decodeMsgpack(encoded, "dynamic")).toBe("hi");
  });

  it("keeps the declared type of dynamic collections through a round trip", () => {
    const wire = encodeMsgpack(withType(["a", "b"], ["list", "string"]), "dynamic");
    const decoded = decodeMsgpack(wire, "dynamic");
    expect(decoded).toEqual(["a", "b"]);
    // re-encoding must say list(string), not tuple([string,string])
    expect(Buffer.from(encodeMsgpack(decoded, "dynamic")).includes(Buffer.from('["list","string"]'))).toBe(true);
    // an untyped JS array infers a tuple
    expect(Buffer.from(encodeMsgpack([1, "x"], "dynamic")).includes(Buffer.from('["tuple",["number","string"]]'))).toBe(true);
  });

  it("keeps arbitrary-precision numbers exact", () => {
    const values = ["12345678901234567890123", "0.1000000000000000000001", "-98765432109876543210.5", "1e+400"];
    for (const v of values) {
      const decoded = decodeMsgpack(encodeMsgpack(new ExactNumber(v), "number"), "number");
      expect(decoded).toBeInstanceOf(ExactNumber);
      expect(Number((decoded as ExactNumber).decimal)).toBe(Number(v));
    }
    expect((decodeMsgpack(encodeMsgpack(new ExactNumber("12345678901234567890123"), "number"), "number") as ExactNumber).decimal).toBe(
      "12345678901234567890123",
    );
    // int64 beyond 2^53 arrives from terraform as msgpack int64
    expect(decodeMsgpack(bytes("d3 7f ff ff ff ff ff ff ff"), "number")).toEqual(new ExactNumber("9223372036854775807"));
    expect(decodeMsgpack(encodeMsgpack(42, "number"), "number")).toBe(42);
    expect(decodeMsgpack(encodeMsgpack(-1.25, "number"), "number")).toBe(-1.25);
    // a decimal string that a double holds exactly comes back as a plain number
    expect(decodeMsgpack(bytes("a3 312e35"), "number")).toBe(1.5);
  });

  it("round-trips every collection type, sets included", () => {
    const type: CtyType = [
      "object",
      {
        s: "string",
        n: "number",
        b: "bool",
        l: ["list", "string"],
        st: ["set", "number"],
        m: ["map", "bool"],
        tu: ["tuple", ["string", "number"]],
        o: ["object", { x: "string" }],
        d: "dynamic",
        nul: ["list", "string"],
      },
    ];
    const value = { s: "a", n: 3, b: true, l: ["x", "y"], st: [1, 2], m: { k: false }, tu: ["p", 9], o: { x: "z" }, d: { q: [true] }, nul: null };
    expect(decodeMsgpack(encodeMsgpack(value, type), type)).toEqual(value);
    // objects always carry every attribute
    expect(decodeMsgpack(encodeMsgpack({ s: "only" }, type), type)).toMatchObject({ s: "only", n: null, m: null });
  });

  it("rejects values that do not match the type", () => {
    expect(() => encodeMsgpack(5, "string")).toThrow(/expected a string/);
    expect(() => encodeMsgpack({ a: 1 }, ["object", { a: "bool" }])).toThrow(/at a/);
  });
});

describe("cty json", () => {
  it("decodes state json with dynamic wrappers and exact numbers", () => {
    const type: CtyType = ["object", { id: "string", big: "number", d: "dynamic", tags: ["map", "string"] }];
    const text = '{"id":"x","big":123456789012345678901234567890,"d":{"value":["a"],"type":["list","string"]},"tags":{"a":"b"},"gone":1}';
    const value = decodeJson(text, type) as Record<string, unknown>;
    expect(value).toEqual({ id: "x", big: new ExactNumber("123456789012345678901234567890"), d: ["a"], tags: { a: "b" } });
    expect(decodeJson(encodeJson(value, type), type)).toEqual(value);
    expect(encodeJson(value, type)).toContain('"type":["list","string"]');
  });
});
