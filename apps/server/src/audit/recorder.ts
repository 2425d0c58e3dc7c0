import { ulid } from "ulid";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";

/** Keys whose values never enter the audit trail, wherever they appear in a payload: values and file contents, uploads. */
const secretKeys = new Set(["value", "content", "archiveBase64"]);
/** Any key naming a credential (password, secret, token, passphrase, private key) is redacted too, whatever its case or prefix. */
const credentialKey = /password|secret|token|passphrase|private_?key/i;

/** Copies a payload with every secret-bearing key replaced by a marker. */
export function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretKeys.has(k) || credentialKey.test(k) ? "[redacted]" : scrubSecrets(v)]));
  }
  return value;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  spaceId: string | null;
  payload?: Record<string, unknown>;
}

/** Records one mutation; call it inside the mutation's transaction so both land or neither does. */
export async function recordAudit(db: Db, actor: Principal, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      id: ulid(),
      at: now(),
      actor_type: actor.kind,
      actor_id: actor.id,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      space_id: entry.spaceId,
      payload: JSON.stringify(scrubSecrets(entry.payload ?? {})),
    })
    .execute();
}
