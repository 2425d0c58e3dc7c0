import { describe, expect, it } from "vitest";
import { ansiSpans, plain } from "./ansi.js";

const esc = (codes: string) => `\u001b[${codes}m`;

describe("ANSI log colours", () => {
  it("splits a line into coloured and bold spans and resets them", () => {
    expect(ansiSpans(`${esc("1")}Plan:${esc("0")} 1 to ${esc("32")}add${esc("39")}.`)).toEqual([
      { text: "Plan:", color: undefined, bold: true },
      { text: " 1 to ", color: undefined, bold: false },
      { text: "add", color: "#7ee787", bold: false },
      { text: ".", color: undefined, bold: false },
    ]);
  });

  it("drops escape sequences it does not render instead of showing them", () => {
    expect(ansiSpans("a\u001b[2Kb").map((s) => s.text).join("")).toBe("ab");
    expect(plain(`${esc("31;1")}Error:${esc("0")} boom`)).toBe("Error: boom");
  });
});
