import { describe, expect, it } from "vitest";
import { sanitizePlan } from "./plan-sanitization.js";

const hash = (s: string): string => `h(${s})`;

/** A plan JSON as terraform writes it for an RDS instance with a sensitive password. */
const plan = {
  format_version: "1.2",
  variables: { password: { value: "hunter2" }, instance_class: { value: "db.t3.micro" } },
  configuration: { root_module: { variables: { password: { sensitive: true }, instance_class: {} } } },
  resource_changes: [{
    address: "aws_db_instance.example",
    type: "aws_db_instance",
    change: {
      actions: ["create"],
      before: null,
      after: { engine: "mysql", allocated_storage: 10, password: "hunter2", tags: { team: "data" }, skip_final_snapshot: true },
      after_sensitive: { password: true, tags: {} },
    },
  }],
  planned_values: { root_module: { resources: [{ address: "aws_db_instance.example", values: { engine: "mysql", password: "hunter2" }, sensitive_values: { password: true } }] } },
  output_changes: { conn: { actions: ["create"], after: "mysql://u:hunter2@db", after_sensitive: true } },
};

describe("sanitizePlan", () => {
  it("with smart sanitization, hashes only what terraform marks sensitive", () => {
    const out = sanitizePlan(plan, true, hash) as typeof plan;
    expect(out.resource_changes[0]!.change.after).toEqual({ engine: "mysql", allocated_storage: 10, password: "h(hunter2)", tags: { team: "data" }, skip_final_snapshot: true });
    expect(out.planned_values.root_module.resources[0]!.values).toEqual({ engine: "mysql", password: "h(hunter2)" });
    expect(out.output_changes.conn.after).toBe("h(mysql://u:hunter2@db)");
    expect(out.variables).toEqual({ password: { value: "h(hunter2)" }, instance_class: { value: "db.t3.micro" } });
    // Once the hashed values are taken out, the secret appears nowhere.
    expect(JSON.stringify(out).replace(/h\([^)]*\)/g, "")).not.toContain("hunter2");
  });

  it("by default (smart sanitization off), hashes every string and keeps numbers, booleans and structure", () => {
    const out = sanitizePlan(plan, false, hash) as typeof plan;
    expect(out.resource_changes[0]!.change.after).toEqual({ engine: "h(mysql)", allocated_storage: 10, password: "h(hunter2)", tags: { team: "h(data)" }, skip_final_snapshot: true });
    expect(out.resource_changes[0]!.change.actions).toEqual(["create"]);
    expect(out.resource_changes[0]!.address).toBe("aws_db_instance.example");
    expect(out.variables.instance_class.value).toBe("h(db.t3.micro)");
  });

  it("leaves a plan that is not an object alone", () => {
    expect(sanitizePlan(null, true, hash)).toBeNull();
  });
});
