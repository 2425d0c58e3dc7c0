import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CASE_SETS, RECORD_FILE, casesFile, passingFile, runCasesFile, summarize } from "../conformance/harness.js";
import type { Recorded } from "../conformance/harness.js";

const recorded = JSON.parse(readFileSync(RECORD_FILE, "utf8")) as Recorded;

describe("OPA conformance suite", () => {
  for (const set of CASE_SETS) {
    it(`still passes every case listed in passing-${set}.txt`, () => {
      const outcomes = runCasesFile(casesFile(set));
      const listed = readFileSync(passingFile(set), "utf8").split("\n").filter(Boolean);
      const byKey = new Map(outcomes.map((o) => [o.key, o]));
      // Name each newly broken case: a fixed case elsewhere must not hide it.
      const broken = listed.filter((k) => byKey.get(k)?.status !== "pass").map((k) => `${k}: ${byKey.get(k)?.detail ?? "case missing"}`);
      expect(broken).toEqual([]);
      const s = summarize(outcomes);
      // Nothing beyond the commented skip list may be skipped.
      const floor = recorded[set];
      if (floor) expect(s.skip).toBeLessThanOrEqual(floor.skipped);
    }, 300_000);
  }

  it("finds the cases relative to the checkout", () => {
    expect(existsSync(casesFile("v1"))).toBe(true);
  });
});
