import { GantryApiError } from "@gantry/contract";
import { describe, expect, it } from "vitest";
import { fieldPath, fromApiError, renderTable } from "../src/output.js";

describe("output", () => {
  it("aligns table columns on the widest cell and keeps cells on one line", () => {
    const rows = [{ a: "x", b: "first\nsecond" }, { a: "longer", b: "y" }];
    const table = renderTable(rows, [{ header: "a", value: (r) => r.a }, { header: "b", value: (r) => r.b }]);
    expect(table.split("\n")).toEqual(["A       B", "x       first second", "longer  y"]);
  });

  it("writes field paths as people do", () => {
    expect(fieldPath(["hooks", "beforeInit", 0])).toBe("hooks.beforeInit[0]");
    expect(fieldPath([])).toBe("(request)");
  });

  it("maps API errors to exit codes: 3 unreachable, 1 otherwise, with one line per field issue", () => {
    expect(fromApiError(new GantryApiError(0, "unreachable", "cannot reach")).exitCode).toBe(3);
    const e = fromApiError(new GantryApiError(422, "invalid", "invalid request body: name: must not be empty", { part: "body", issues: [{ path: ["name"], message: "must not be empty" }] }));
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe("invalid request body");
    expect(e.lines).toEqual(["  name: must not be empty"]);
    expect(fromApiError(new GantryApiError(404, "not_found", "stack x not found")).message).toBe("stack x not found");
  });
});
