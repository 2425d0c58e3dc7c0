import { describe, expect, it } from "vitest";
import { regoEngine } from "./rego-engine.js";

const mod = (body: string) => [{ file: "p.rego", body: `package spacelift\nimport rego.v1\n${body}`, regoVersion: "V1" as const }];

describe("regoEngine", () => {
  it("answers from the current body after a policy changes, and shares one input between policies", async () => {
    const engine = regoEngine();
    const input = { terraform: { resource_changes: [{ address: "a.b", change: { actions: ["delete"] } }] } };
    const deny = 'deny contains rc.address if { some rc in input.terraform.resource_changes; "delete" in rc.change.actions }';
    expect(await engine.evaluate(mod(deny), "data.spacelift", input)).toEqual({ deny: ["a.b"] });
    expect(await engine.evaluate(mod('warn contains "changes" if count(input.terraform.resource_changes) > 0'), "data.spacelift", input)).toEqual({ warn: ["changes"] });
    // The same policy, edited: its new body decides.
    expect(await engine.evaluate(mod(deny.replace('"delete"', '"create"')), "data.spacelift", input)).toEqual({ deny: [] });
    // A different input object is read afresh.
    expect(await engine.evaluate(mod(deny), "data.spacelift", { terraform: { resource_changes: [] } })).toEqual({ deny: [] });
  });

  it("keeps refusing builtins that reach out of the process", async () => {
    const engine = regoEngine();
    await expect(engine.evaluate(mod('x := http.send({"method": "GET", "url": "http://127.0.0.1:1"})'), "data.spacelift.x", {})).rejects.toThrow(/http\.send/);
  });
});
