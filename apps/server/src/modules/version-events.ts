import type { Db } from "../db/connect.js";
import type { ModulesTable, ModuleVersionsTable } from "../db/schema.js";
import { recordNotificationEvent } from "../notifications/events.js";

/**
 * In the transaction that makes a version ACTIVE (publishing one without tests, or its last test
 * run passing): the `module_version` notification event, written to the outbox so it is
 * delivered exactly when the version's new state commits.
 */
export async function recordVersionActivated(trx: Db, m: Pick<ModulesTable, "id" | "space_id">, v: Pick<ModuleVersionsTable, "version">): Promise<void> {
  await recordNotificationEvent(trx, { kind: "module_version", spaceId: m.space_id, moduleId: m.id, version: v.version });
}
