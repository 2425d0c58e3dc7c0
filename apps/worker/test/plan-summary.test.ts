import { describe, expect, it } from "vitest";
import { planDelta, summaryHasResourceChanges } from "../src/plan-summary.js";

const rc = (...actions: string[]) => ({ change: { actions } });

describe("planDelta", () => {
  it("counts creates, updates, deletes and replacements as terraform's summary does", () => {
    expect(planDelta({ resource_changes: [rc("create"), rc("update"), rc("delete"), rc("delete", "create"), rc("create", "delete"), rc("no-op"), rc("read")] })).toEqual({ added: 3, changed: 1, deleted: 3, outputs: 0 });
    expect(planDelta({})).toEqual({ added: 0, changed: 0, deleted: 0, outputs: 0 });
  });
});

describe("summaryHasResourceChanges", () => {
  it("reads terraform's last plan summary line, imports and forgets aside", () => {
    expect(summaryHasResourceChanges("Terraform will perform the following actions:\n...\nPlan: 1 to add, 0 to change, 0 to destroy.\n")).toBe(true);
    expect(summaryHasResourceChanges("Plan: 1 to import, 0 to add, 2 to change, 0 to destroy.\n")).toBe(true);
    expect(summaryHasResourceChanges("Plan: 0 to add, 0 to change, 1 to destroy, 1 to forget.\n")).toBe(true);
    expect(summaryHasResourceChanges("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.\n")).toBe(false);
    expect(summaryHasResourceChanges("Changes to Outputs:\n  + at = \"x\"\n\nYou can apply this plan to save these new output values to the Terraform state, without changing any real infrastructure.\n")).toBe(false);
    expect(summaryHasResourceChanges("No changes. Your infrastructure matches the configuration.\n")).toBe(false);
    // An attribute value that looks like a summary is indented in the diff, never at a line start.
    expect(summaryHasResourceChanges('      + input = <<-EOT\n            Plan: 3 to add, 0 to change, 0 to destroy.\n        EOT\nPlan: 0 to add, 0 to change, 0 to destroy.\n')).toBe(false);
  });
});
