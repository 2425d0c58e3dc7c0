import { describe, expect, it } from "vitest";
import { fromJSONText, RArray } from "../value/index.js";
import { goSprintf } from "./sprintf.js";

function f(format: string, args: string): string {
  const parsed = fromJSONText(args);
  if (!(parsed instanceof RArray)) throw new Error("test arguments must be a JSON array");
  return goSprintf(format, [...parsed.items]);
}

describe("sprintf follows Go's fmt over OPA's argument conversion", () => {
  it("formats integers", () => {
    expect(f("%d|%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%b|%c", "[42, 42, 42, -42, 42, 255, 255, 255, 8, 5, 65]")).toBe("42|   42|42   |-0042|+42|ff|FF|0xff|10|101|A");
  });
  it("formats floats", () => {
    expect(f("%f|%.2f|%8.3f|%e|%g|%v|%v", "[3.14159, 2.675, -1.5, 123456.789, 0.000012, 1.5, 1e21]")).toBe(
      "3.141590|2.67|  -1.500|1.234568e+05|1.2e-05|1.5|1e+21",
    );
  });
  it("formats strings, booleans and composites", () => {
    expect(f("%s|%q|%10s|%-4s|%.2s|%v|%s", '["a", "b\\"c", "right", "l", "trunc", true, {"k": [1, "x"]}]')).toBe(
      'a|"b\\"c"|     right|l   |tr|true|{"k": [1, "x"]}',
    );
  });
  it("reports Go's in-band errors", () => {
    expect(f("%d", '["x"]')).toBe("%!d(string=x)");
    expect(f("%s", "[1]")).toBe("%!s(int=1)");
    expect(f("%d %d", "[1]")).toBe("1 %!d(MISSING)");
    expect(f("%d", "[1, 2]")).toBe("1%!(EXTRA int=2)");
    expect(f("100%%", "[]")).toBe("100%");
  });
});
