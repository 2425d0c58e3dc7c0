import { describe, expect, it } from "vitest";
import { runChanges } from "./run-changes.js";

const rc = (address: string, actions: string[], extra: Record<string, unknown> = {}) => ({
  address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1], provider_name: "p",
  ...extra,
  change: { actions, before: { v: "old" }, after: { v: "new" }, ...((extra.change as object) ?? {}) },
});

describe("runChanges", () => {
  it("maps terraform's actions to Spacelift's, skipping what changes nothing", () => {
    const plan = {
      resource_changes: [
        rc("a.create", ["create"]), rc("a.update", ["update"]), rc("a.delete", ["delete"]),
        rc("a.dbc", ["delete", "create"]), rc("a.cbd", ["create", "delete"]), rc("a.forget", ["forget"]),
        rc("a.noop", ["no-op"]), rc("a.read", ["read"], { mode: "data" }),
        rc("a.imported", ["no-op"], { change: { importing: { id: "i-1" } } }),
        rc("a.moved", ["no-op"], { previous_address: "a.old" }),
      ],
    };
    expect(runChanges("TERRAFORM", plan).map((c) => [c.entity.address, c.action, c.moved])).toEqual([
      ["a.create", "added", false], ["a.update", "changed", false], ["a.delete", "deleted", false],
      ["a.dbc", "destroy-Before-create-replaced", false], ["a.cbd", "create-Before-destroy-replaced", false], ["a.forget", "forget", false],
      ["a.imported", "import", false], ["a.moved", "changed", true],
    ]);
    // A deleted resource's data are its values before; every other change's, after.
    const [, , deleted] = runChanges("TERRAFORM", plan);
    expect(deleted?.entity.data).toMatchObject({ values: { v: "old" } });
  });

  it("lists output changes without the values of sensitive outputs", () => {
    const plan = { output_changes: { url: { actions: ["create"], after: "https://x" }, token: { actions: ["update"], before: "a", after: "b", after_sensitive: true }, same: { actions: ["no-op"] } } };
    expect(runChanges("OPEN_TOFU", plan)).toEqual([
      { action: "added", phase: "plan", moved: false, entity: { address: "output.url", name: "url", type: "output", entity_vendor: "terraform", entity_type: "output", data: { sensitive: false, value: "https://x" } } },
      { action: "changed", phase: "plan", moved: false, entity: { address: "output.token", name: "token", type: "output", entity_vendor: "terraform", entity_type: "output", data: { sensitive: true } } },
    ]);
  });

  it("gives no changes for a missing plan", () => {
    expect(runChanges("KUBERNETES", null)).toEqual([]);
    expect(runChanges("ANSIBLE", "not a plan")).toEqual([]);
  });

  it("groups ansible task results by host", () => {
    const doc = { changes: [
      { host: "web1", play: "p", task: "one", module: "copy", args: {}, diff: null },
      { host: "web1", play: "p", task: "two", module: "file", args: {}, diff: null },
      { host: "web2", play: "p", task: "one", module: "copy", args: {}, diff: null },
    ] };
    const changes = runChanges("ANSIBLE", doc);
    expect(changes.map((c) => [c.entity.address, (c.entity.data as { tasks: unknown[] }).tasks.length])).toEqual([["web1", 2], ["web2", 1]]);
  });
});
