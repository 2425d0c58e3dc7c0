import type { Db } from "../db/connect.js";
import type { RunsTable } from "../db/schema.js";
import { AppError } from "../errors.js";

/** States in which a run reports its lock file: right before init. */
const beforeInit = new Set(["PREPARING", "INITIALIZING"]);

/**
 * The provider versions runs' lock files pin. Terraform asks a registry (or mirror) for the
 * version list before it downloads even a locked provider, so a yanked version must still be in
 * the list a pinning run sees, while a fresh constraint never sees it. Addresses on any host are
 * kept by namespace and type: Gantry's namespaces are one set, whichever host names them.
 */
export function runProviderPins(db: Db) {
  return {
    /** Replaces the run's pins with what its lock file names (the last report wins). */
    async record(run: RunsTable, providers: { source: string; version: string }[]): Promise<void> {
      if (!beforeInit.has(run.state)) throw new AppError("conflict", `run ${run.id} is ${run.state}: the lock file's providers are reported before init`);
      const pins = new Map<string, { namespace_id: string; type: string; version: string }>();
      for (const p of providers) {
        const parts = p.source.toLowerCase().split("/");
        if (parts.length !== 3) continue;
        pins.set(`${parts[1]}/${parts[2]}`, { namespace_id: parts[1]!, type: parts[2]!, version: p.version });
      }
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("run_provider_pins").where("run_id", "=", run.id).execute();
        for (const pin of pins.values()) await trx.insertInto("run_provider_pins").values({ run_id: run.id, ...pin }).execute();
      });
    },
  };
}

/** The version of `<namespace>/<type>` a run's lock file pins, if it reported one. */
export async function pinnedVersion(db: Db, runId: string, namespace: string, type: string): Promise<string | undefined> {
  const row = await db.selectFrom("run_provider_pins").select("version").where("run_id", "=", runId).where("namespace_id", "=", namespace).where("type", "=", type).executeTakeFirst();
  return row?.version;
}
