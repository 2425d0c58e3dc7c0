import type { ModuleVersion, PublishImpact } from "@gantry/contract";
import type { Principal } from "../auth/principal.js";
import type { Core } from "../core.js";
import type { ModulesTable } from "../db/schema.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";
import { publisherPrincipal } from "./publisher.js";
import { versionsWithTests } from "./test-runs.js";

/** What a version's becoming ACTIVE does to its consumers (modules/impact.ts). */
export type OnPublished = (actor: Principal, m: ModulesTable, version: ModuleVersion) => Promise<PublishImpact>;

/**
 * Marks a version whose reaction is being worked out, so two callers (or replicas) never react
 * twice. It carries its time: a claim a stopped server left behind is taken over later.
 */
function claimMarker(at: Date): string {
  return JSON.stringify({ claimedAt: at.toISOString() });
}

/** When a claim was made, or undefined when the stored impact is not a claim. */
function claimedAt(impact: string): Date | undefined {
  try {
    const v = JSON.parse(impact) as { claimedAt?: unknown; version?: unknown };
    return typeof v.claimedAt === "string" && v.version === undefined ? new Date(v.claimedAt) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What follows once a version is ACTIVE and committed, the same at publish (no tests) and when
 * its tests pass later: its consumers, their runs (the module's `triggerConsumers`) and the
 * TRIGGER policies attached to the module, acting as the publisher (the caller at publish; the
 * stored publisher later, see publisher.ts). The outcome is kept on the version (`impact`).
 * Versions that are not ACTIVE (FAILED, yanked meanwhile) trigger nothing.
 */
export function versionActivation(core: Core, onPublished: OnPublished, clock: () => Date = () => new Date()) {
  const { db, log } = core;

  /**
   * `staleClaim`: the exact claim a stopped server left on the version; taking it over is a
   * compare-and-set on it, so only one replica does.
   */
  return async function reactToActiveVersion(versionId: string, actor?: Principal, staleClaim?: string): Promise<PublishImpact | null> {
    const claimed = await db.updateTable("module_versions").set({ impact: claimMarker(clock()) })
      .where("id", "=", versionId).where("state", "=", "ACTIVE")
      .where((eb) => (staleClaim === undefined ? eb("impact", "is", null) : eb("impact", "=", staleClaim)))
      .executeTakeFirst();
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

/** A version this much older than now is no longer being reacted to by the request that published it. */
const SETTLED_MS = 2 * 60_000;
/**
 * A claim this old belongs to a server that stopped mid-reaction (a reaction queues a few runs
 * and evaluates a few policies: seconds, not minutes).
 */
const STALE_CLAIM_MS = 10 * 60_000;
/** How often missed reactions are looked for. */
const RECOVERY_INTERVAL_MS = 60_000;

/**
 * Finishes reactions a stopped server never ran. A version's reaction follows the commit that
 * made it ACTIVE (the publish request's, or its last test run's end); a server that stops in
 * between leaves the version ACTIVE with no impact, and one that stops during the reaction
 * leaves its claim. This subsystem reacts to such versions as their stored publisher (at least
 * once: runs a stopped reaction had already queued may be queued again). It leaves alone versions
 * published in the last two minutes (their request may still be reacting, as its caller), claims
 * younger than ten minutes, and versions from before publishers were kept (`published_by` null:
 * they were published, and reacted to, by an older Gantry; counted once in the log).
 */
export function missedReactionsSubsystem(core: Core, react: ReactToActiveVersion, clock: () => Date, opts: { intervalMs?: number } = {}): PeriodicSubsystem {
  let olderCounted = false;
  return periodic({
    name: "module-version-reactions",
    mode: "exclusive",
    intervalMs: opts.intervalMs ?? RECOVERY_INTERVAL_MS,
    async round(ctx) {
      const now = clock().getTime();
      const before = new Date(now - SETTLED_MS).toISOString();
      if (!olderCounted) {
        olderCounted = true;
        const older = await core.db.selectFrom("module_versions").select((eb) => eb.fn.countAll<number>().as("n"))
          .where("state", "=", "ACTIVE").where("impact", "is", null).where("published_by", "is", null).executeTakeFirstOrThrow();
        if (Number(older.n) > 0) ctx.log.info({ versions: Number(older.n) }, `${older.n} ACTIVE module version(s) come from before Gantry kept publishers: they were reacted to when published and are left alone`);
      }
      const missed = await core.db.selectFrom("module_versions").select(["id", "module_id", "version", "impact"])
        .where("state", "=", "ACTIVE").where("published_by", "is not", null).where("created_at", "<", before)
        .where((eb) => eb.or([eb("impact", "is", null), eb("impact", "like", '{"claimedAt":%')]))
        .orderBy("created_at").limit(100).execute();
      for (const v of missed) {
        if (v.impact === null || v.impact === undefined) {
          ctx.log.warn({ module: v.module_id, version: v.version }, `module ${v.module_id}: version ${v.version} became ACTIVE without its reaction (a server stopped in between); reacting now`);
          await react(v.id);
          continue;
        }
        const at = claimedAt(v.impact);
        if (!at || now - at.getTime() < STALE_CLAIM_MS) continue;
        ctx.log.warn({ module: v.module_id, version: v.version, claimedAt: at.toISOString() }, `module ${v.module_id}: the reaction to version ${v.version} stopped midway (claimed ${at.toISOString()}); reacting again`);
        await react(v.id, undefined, v.impact);
      }
    },
  });
}
