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

describe("sprintf formats floats as Go does, not as JavaScript does", () => {
  it("rounds the exact binary value half to even", () => {
    // 0.125 and 2.5 are exact halves: Go rounds them to even; toFixed rounds them up.
    expect(f("%.2f|%.0f|%.0f|%.0f|%.1f", "[0.125, 2.5, 3.5, 0.5, 0.25]")).toBe("0.12|2|4|0|0.2");
    // 2.675 is really 2.67499999...: both round down; 1.005 likewise.
    expect(f("%.2f|%.2f|%.1f", "[2.675, 1.005, 0.05]")).toBe("2.67|1.00|0.1");
  });
  it("prints large floats in full with %f, where toFixed switches to exponents", () => {
    expect(f("%.2f|%f", "[1e21, 123456789012345678901234.5]")).toBe("1000000000000000000000.00|123456789012345685803008.000000");
  });
  it("uses %e from 1e+06 in the shortest %v and %g, as Go's strconv does", () => {
    expect(f("%v|%v|%v|%g|%v|%v", "[1000000.5, 123456.5, 1e6, 0.0001, 0.00001, 1.0]")).toBe("1.0000005e+06|123456.5|1e+06|0.0001|1e-05|1");
  });
  it("formats %e, %g with a precision, %x, %X and %b on floats", () => {
    expect(f("%.2e|%e|%.3g|%.3g|%.10g|%G", "[12345.678, 0.5, 1.0, 123456.0, 0.1, 1e-7]")).toBe("1.23e+04|5.000000e-01|1|1.23e+05|0.1|1E-07");
    // 1.96875 is 0x1.f8p+00: one hex digit rounds the half to even, carrying into the exponent.
    expect(f("%x|%X|%.1x|%x|%b", "[1.5, 1.5, 1.96875, 0.1, 1.5]")).toBe("0x1.8p+00|0X1.8P+00|0x1.0p+01|0x1.999999999999ap-04|6755399441055744p-52");
  });
  it("keeps big integers exact", () => {
    expect(f("%d|%x|%v", "[123456789012345678901234567890, 18446744073709551615, 18446744073709551616]")).toBe("123456789012345678901234567890|ffffffffffffffff|18446744073709551616");
  });
});
