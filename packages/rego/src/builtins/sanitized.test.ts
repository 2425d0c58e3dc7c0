import { describe, expect, it } from "vitest";
import { compile, RegoError, sanitizeString, toJSONText } from "../index.js";

const PLAN = `package spacelift
deny contains "default password" if {
  some rc in input.terraform.resource_changes
  rc.change.after.password == sanitized("hunter2")
}
`;

describe("sanitized()", () => {
  it("is Spacelift's hash of a string, and maps over composites leaving other scalars", () => {
    const p = compile({ modules: [], sanitized: true });
    const [r] = p.eval('x := sanitized({"a": ["pw", 1, true, null]})');
    expect(toJSONText(r!.bindings.get("x")!)).toBe(`{"a": ["${sanitizeString("pw")}", 1, true, null]}`.replace(/ /g, ""));
  });

  it("compares with sanitized plan values, with the server's key when given", () => {
    const key = "server-key";
    const p = compile({ modules: [{ file: "plan.rego", source: PLAN }], sanitized: true });
    const input = { terraform: { resource_changes: [{ change: { after: { password: sanitizeString("hunter2", key) } } }] } };
    expect(toJSONText(p.eval("data.spacelift.deny", { input, sanitize: (s) => sanitizeString(s, key) })[0]!.expressions[0]!.value)).toBe('["default password"]');
    // A keyless hash differs from the keyed one: the builtin must use the same key as the input.
    expect(p.eval("count(data.spacelift.deny) == 0", { input })).toHaveLength(1);
  });

  it("is an undefined function unless the compile provides it (only PLAN policies do)", () => {
    let err: unknown;
    try { compile({ modules: [{ file: "plan.rego", source: PLAN }] }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RegoError);
    expect((err as RegoError).message).toBe("plan.rego:4:31: rego_type_error: undefined function sanitized");
  });
});
