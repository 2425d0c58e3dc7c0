import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CASES_DIR, RECORD_FILE, runCasesFile, summarize } from "../conformance/harness.js";
import type { Recorded } from "../conformance/harness.js";

const recorded = JSON.parse(readFileSync(RECORD_FILE, "utf8")) as Recorded;

describe("OPA conformance suite", () => {
  for (const version of ["v1", "v0"] as const) {
    it(`passes at least the recorded number of ${version} cases`, () => {
      const s = summarize(runCasesFile(`${CASES_DIR}/cases-${version}.json`));
      expect(s.pass).toBeGreaterThanOrEqual(recorded[version].pass);
      // Nothing beyond the commented skip list may be skipped.
      expect(s.skip).toBeLessThanOrEqual(recorded[version].skipped);
    }, 300_000);
  }
});
