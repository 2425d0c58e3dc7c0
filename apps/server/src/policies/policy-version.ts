import { createHash } from "node:crypto";
import type { Db } from "../db/connect.js";

/**
 * The version of a policy: a content hash of what the engine evaluates (the Rego version and the
 * body). A receipt keeps it, so "which policy decided" survives later edits of the policy; two
 * saves of the same body share a version.
 *
 * @example
 * policyVersion("package spacelift\n", "V1") // "3f2a9c..." (16 hex digits)
 */
export function policyVersion(body: string, regoVersion: string): string {
  return createHash("sha256").update(`${regoVersion}\n${body}`).digest("hex").slice(0, 16);
}

/**
 * Keeps `body` as one of the policy's versions (once per version): called in the transaction
 * that saves the policy, so every version a receipt can name has its body.
 */
export async function keepPolicyBody(db: Db, policyId: string, body: string, regoVersion: string, at: string): Promise<void> {
  await db.insertInto("policy_bodies")
    .values({ policy_id: policyId, version: policyVersion(body, regoVersion), body, rego_version: regoVersion, created_at: at })
    .onConflict((oc) => oc.columns(["policy_id", "version"]).doNothing())
    .execute();
}

/** The body and Rego version a policy had at `version`, when kept. */
export function keptPolicyBody(db: Db, policyId: string, version: string): Promise<{ body: string; rego_version: string } | undefined> {
  return db.selectFrom("policy_bodies").select(["body", "rego_version"]).where("policy_id", "=", policyId).where("version", "=", version).executeTakeFirst();
}
