/**
 * Migration 0104 keeps the body each existing policy has when it runs, under the version its
 * receipts name, so `explain-policy` traces those receipts with the body that decided them.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openStore } from "../src/db/connect.js";
import { up } from "../src/db/migrations/0104-policy-bodies.js";
import { policyVersion } from "../src/policies/policy-version.js";

describe("migration 0104 (policy bodies)", () => {
  it("keeps every existing policy's current body under its version, and drops them with the policy", async () => {
    const store = openStore(":memory:");
    try {
      const db = store.db;
      // The columns of `policies` the migration reads (the table as earlier migrations left it has more).
      await sql`create table policies (id text primary key, body text not null, rego_version text not null, updated_at text not null)`.execute(db);
      await sql`insert into policies values ('a', 'package spacelift\ndeny contains "x" if true', 'V1', '2026-01-01T00:00:00.000Z'), ('b', 'package spacelift\ndeny["y"] { true }', 'V0', '2026-02-01T00:00:00.000Z')`.execute(db);
      await up(db as never);
      const rows = await db.selectFrom("policy_bodies").selectAll().orderBy("policy_id").execute();
      expect(rows).toEqual([
        { policy_id: "a", version: policyVersion('package spacelift\ndeny contains "x" if true', "V1"), body: 'package spacelift\ndeny contains "x" if true', rego_version: "V1", created_at: "2026-01-01T00:00:00.000Z" },
        { policy_id: "b", version: policyVersion('package spacelift\ndeny["y"] { true }', "V0"), body: 'package spacelift\ndeny["y"] { true }', rego_version: "V0", created_at: "2026-02-01T00:00:00.000Z" },
      ]);
      await sql`delete from policies where id = 'a'`.execute(db);
      expect((await db.selectFrom("policy_bodies").select("policy_id").execute()).map((r) => r.policy_id)).toEqual(["b"]);
    } finally {
      await store.close();
    }
  });
});
