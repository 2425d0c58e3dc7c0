import type { ModuleVersionTest } from "@gantry/contract";
import semver from "semver";
import type { Db } from "../db/connect.js";
import type { ModulesTable, ModuleVersionsTable } from "../db/schema.js";

const nanos = (iso: string): number => Date.parse(iso) * 1e6;

/** Spacelift's `module` document (in `trigger_module_version_input.json` and the module_version notification input). */
export function moduleDocument(m: ModulesTable) {
  return { administrative: false, branch: m.branch, id: m.id, name: m.name, namespace: m.namespace, project_root: m.project_root, repository: m.repository, terraform_provider: m.terraform_provider };
}

/**
 * Spacelift's `version` document of `notification_module_version_input.json`. Gantry stores no
 * commit time and knows no web URL for a plain git repository, so the commit's `created_at` is
 * the version's and `url` is empty. `latest`: the highest ACTIVE version of the module.
 */
export async function moduleVersionDocument(db: Db, m: ModulesTable, v: ModuleVersionsTable, tests: ModuleVersionTest[]) {
  const active = await db.selectFrom("module_versions").select("version").where("module_id", "=", m.id).where("state", "=", "ACTIVE").execute();
  const highest = active.map((r) => r.version).sort(semver.rcompare)[0] ?? null;
  return {
    id: v.id,
    number: v.version,
    created_at: nanos(v.created_at),
    state: v.state,
    latest: highest === v.version,
    commit: { author: v.author, branch: m.branch, created_at: nanos(v.created_at), hash: v.commit_sha, message: v.message, url: "" },
    test_runs: tests.map((t) => ({ id: t.runId, title: t.name, state: t.runState, outcome: t.outcome, negative: t.negative, project_root: t.projectRoot })),
  };
}
