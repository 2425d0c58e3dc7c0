import type { ModuleVersion, PublishImpact } from "@gantry/contract";
import type { Principal } from "../auth/principal.js";
import type { Core } from "../core.js";
import type { ModulesTable } from "../db/schema.js";
import { publisherPrincipal } from "./publisher.js";
import { versionsWithTests } from "./test-runs.js";

/** What a version's becoming ACTIVE does to its consumers (modules/impact.ts). */
export type OnPublished = (actor: Principal, m: ModulesTable, version: ModuleVersion) => Promise<PublishImpact>;

/** Marks a version whose reaction is being worked out, so two callers (or replicas) never react twice. */
const CLAIMED = "{}";

/**
 * What follows once a version is ACTIVE and committed, the same at publish (no tests) and when
 * its tests pass later: its consumers, their runs (the module's `triggerConsumers`) and the
 * TRIGGER policies attached to the module, acting as the publisher (the caller at publish; the
 * stored publisher later, see publisher.ts). The outcome is kept on the version (`impact`).
 * Versions that are not ACTIVE (FAILED, yanked meanwhile) trigger nothing.
 */
export function versionActivation(core: Core, onPublished: OnPublished) {
  const { db, log } = core;

  return async function reactToActiveVersion(versionId: string, actor?: Principal): Promise<PublishImpact | null> {
    const claimed = await db.updateTable("module_versions").set({ impact: CLAIMED }).where("id", "=", versionId).where("state", "=", "ACTIVE").where("impact", "is", null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    const row = await db.selectFrom("module_versions").selectAll().where("id", "=", versionId).executeTakeFirstOrThrow();
    const m = await db.selectFrom("modules").selectAll().where("id", "=", row.module_id).executeTakeFirst();
    if (!m) return null;
    const principal = actor ?? (await publisherPrincipal(db, row.published_by));
    const [version] = await versionsWithTests(db, [row]);
    const impact = await onPublished(principal, m, version!).catch((err: unknown): PublishImpact => {
      log.error({ err, module: m.id, version: row.version }, "reacting to a module version that became ACTIVE failed");
      return { version: row.version, consumers: [], triggered: [], skipped: [], policyErrors: [`reacting to the new version failed: ${(err as Error).message}`] };
    });
    await db.updateTable("module_versions").set({ impact: JSON.stringify(impact) }).where("id", "=", versionId).execute();
    log.info({ module: m.id, version: row.version, publisher: principal.name, triggered: impact.triggered.map((t) => t.stackId) }, `module ${m.id}: version ${row.version} is ACTIVE`);
    return impact;
  };
}

export type ReactToActiveVersion = ReturnType<typeof versionActivation>;
