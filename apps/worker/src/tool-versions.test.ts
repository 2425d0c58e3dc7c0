import { describe, expect, it } from "vitest";
import { fallbackFor, newestSatisfying, parseVersionFallback, toSemverRange } from "./tool-versions.js";

describe("terraform version pins", () => {
  it("reads Terraform's constraint syntax as Terraform does", () => {
    expect(newestSatisfying(["1.5.7", "1.9.5", "2.0.0"], "~> 1.5")).toBe("1.9.5");
    expect(newestSatisfying(["1.5.7", "1.9.5"], "~> 1.5.0")).toBe("1.5.7");
    expect(newestSatisfying(["1.5.7", "1.9.5"], ">= 1.5, < 1.9")).toBe("1.5.7");
    expect(newestSatisfying(["1.5.7"], "1.7.0")).toBeUndefined();
    expect(toSemverRange("= 1.7.0")).toBe("1.7.0");
  });

  it("substitutes only as the operator's rules allow", () => {
    const installed = ["0.15.5", "1.5.7", "1.11.4"];
    expect(fallbackFor(installed, "1.7.0", [])).toBeUndefined();
    expect(fallbackFor(installed, "1.7.0", parseVersionFallback("same-major"))).toEqual({ version: "1.11.4", rule: "same-major" });
    expect(fallbackFor(installed, "~> 1.7", parseVersionFallback("same-major"))).toEqual({ version: "1.11.4", rule: "same-major" });
    expect(fallbackFor(installed, "1.7.0", parseVersionFallback("1.7.x=>~1.5.0"))).toEqual({ version: "1.5.7", rule: "1.7.x=>~1.5.0" });
    expect(fallbackFor(installed, "1.8.0", parseVersionFallback("1.7.x=>~1.5.0"))).toBeUndefined();
    expect(fallbackFor(["1.11.4"], "2.0.0", parseVersionFallback("same-major"))).toBeUndefined();
  });

  it("refuses a setting it cannot read, saying the expected form", () => {
    expect(() => parseVersionFallback("1.7.0")).toThrow(/REQUESTED=>USE/);
    expect(() => parseVersionFallback("newest=>1.x")).toThrow(/not "same-major"/);
  });
});
