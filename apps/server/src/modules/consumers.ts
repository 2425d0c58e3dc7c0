import semver from "semver";
import type { Core } from "../core.js";
import { inTransaction } from "../core.js";
import { now } from "../db/rows.js";
import type { RunsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { RegistrySettings } from "./rows.js";

export interface ResolvedModule { key: string; source: string; version: string; constraint: string | null }

/** States in which a run reports what its init resolved. */
const initializing = new Set(["INITIALIZING", "PLANNING", "PERFORMING"]);

/**
 * Which stacks use which module versions: after each init the worker reports what terraform
 * resolved, and the stack's rows are replaced with it (a module no longer used disappears).
 * Sources on other registries are ignored; a module used twice keeps its lowest version.
 */
export function moduleConsumers(core: Core, registry: RegistrySettings) {
  const { db } = core;
  return {
    async record(run: RunsTable, modules: ResolvedModule[]): Promise<void> {
      if (!initializing.has(run.state)) throw new AppError("conflict", `run ${run.id} is ${run.state}: modules are reported right after init`);
      // Local previews run uploaded code that may never be pushed: they do not make a stack a consumer.
      if (run.source === "upload") return;
      const hosts = new Set([registry.host, ...registry.aliases].map((h) => h.toLowerCase()));
      const found = new Map<string, { version: string; constraint: string | null }>();
      for (const m of modules) {
        const parts = m.source.split("/");
        if (parts.length !== 4 || !hosts.has(parts[0]!.toLowerCase())) continue;
        const [, namespace, name, provider] = parts as [string, string, string, string];
        const row = await db.selectFrom("modules").select("id").where("namespace", "=", namespace).where("name", "=", name).where("terraform_provider", "=", provider).executeTakeFirst();
        if (!row) continue;
        const prev = found.get(row.id);
        if (!prev || (semver.valid(m.version) && semver.valid(prev.version) && semver.lt(m.version, prev.version))) found.set(row.id, { version: m.version, constraint: m.constraint });
      }
      await inTransaction(db, async (trx) => {
        await trx.deleteFrom("module_consumers").where("stack_id", "=", run.stack_id).execute();
        const at = now();
        for (const [moduleId, v] of found) {
          await trx.insertInto("module_consumers").values({ stack_id: run.stack_id, module_id: moduleId, version: v.version, constraint_text: v.constraint, run_id: run.id, updated_at: at }).execute();
        }
      });
    },
  };
}
