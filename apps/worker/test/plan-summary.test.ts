import { describe, expect, it } from "vitest";
import { planDelta } from "../src/plan-summary.js";

const rc = (...actions: string[]) => ({ change: { actions } });

describe("planDelta", () => {
  it("counts creates, updates, deletes and replacements as terraform's summary does", () => {
    expect(planDelta({ resource_changes: [rc("create"), rc("update"), rc("delete"), rc("delete", "create"), rc("create", "delete"), rc("no-op"), rc("read")] })).toEqual({ added: 3, changed: 1, deleted: 3 });
    expect(planDelta({})).toEqual({ added: 0, changed: 0, deleted: 0 });
  });
});
