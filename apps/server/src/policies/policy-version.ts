import { createHash } from "node:crypto";

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
