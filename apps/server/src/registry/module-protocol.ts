import type { FastifyRequest } from "fastify";
import semver from "semver";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import type { ModulesTable, ModuleVersionsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import { principalCanReadModule, stackCanUseModule } from "../modules/visibility.js";

/** States in which a run's token opens the registry: the token dies with the run's execution. */
const executing = new Set(["PREPARING", "INITIALIZING", "PLANNING", "APPLYING", "PERFORMING", "DESTROYING"]);

export interface ModuleAddress { namespace: string; name: string; provider: string }

/**
 * The one answer for "no such module" and "a module you may not read", so terraform (and
 * whoever holds a token) learns nothing about modules outside its reach.
 */
const notFound = (a: ModuleAddress) => new AppError("not_found", `module ${a.namespace}/${a.name}/${a.provider} does not exist in this registry, or your token cannot read it: check the source address, the module's space and sharedWith`);

/** Finds a module by its registry address and checks the caller (a run's stack, or a person) may read it. */
export async function visibleModule(db: Db, req: FastifyRequest, a: ModuleAddress): Promise<ModulesTable> {
  const m = await db.selectFrom("modules").selectAll().where("namespace", "=", a.namespace).where("name", "=", a.name).where("terraform_provider", "=", a.provider).executeTakeFirst();
  if (!m) throw notFound(a);
  const caller = req.caller;
  if (caller.kind === "run") {
    if (!executing.has(caller.run.state)) throw new AppError("unauthenticated", "this run's registry token is no longer valid: the run is not executing");
    const stack = await db.selectFrom("stacks").select("space_id").where("id", "=", caller.run.stack_id).executeTakeFirst();
    if (!stack || !(await stackCanUseModule(db, stack.space_id, m))) throw notFound(a);
    return m;
  }
  if (caller.kind === "user" && (await principalCanReadModule(db, caller.principal as Principal, m))) return m;
  throw notFound(a);
}

/**
 * The versions terraform may choose from: ACTIVE ones, and FAILED ones when the module offers
 * failed versions. Yanked versions and versions still being tested (PENDING) are left out, with
 * one exception: a run's stack that already uses a yanked version (its last init reported it,
 * `module_consumers`) still sees that version. Terraform has no lock file for modules and picks
 * even an exact `version = "2.0.0"` from this list, so without it yanking would break every
 * stack still pinned to the version, which yanking promises not to do.
 */
export async function offeredVersions(db: Db, m: Pick<ModulesTable, "id" | "offer_failed_versions">, callerStackId?: string): Promise<string[]> {
  const states = m.offer_failed_versions ? ["ACTIVE", "FAILED"] : ["ACTIVE"];
  const rows = await db.selectFrom("module_versions").select("version").where("module_id", "=", m.id).where("state", "in", states).execute();
  const versions = rows.map((r) => r.version);
  if (callerStackId) {
    const kept = await db.selectFrom("module_versions").innerJoin("module_consumers", (j) => j.onRef("module_consumers.module_id", "=", "module_versions.module_id").onRef("module_consumers.version", "=", "module_versions.version"))
      .select("module_versions.version").where("module_versions.module_id", "=", m.id).where("module_versions.state", "=", "YANKED").where("module_consumers.stack_id", "=", callerStackId).execute();
    for (const r of kept) if (!versions.includes(r.version)) versions.push(r.version);
  }
  return semver.rsort(versions);
}

/**
 * The version a download names: ACTIVE, or YANKED (the stacks that use it keep
 * working); a FAILED version is refused unless the module offers failed versions, and a
 * version still being tested is refused until its tests pass.
 */
export async function downloadableVersion(db: Db, m: ModulesTable, version: string): Promise<ModuleVersionsTable> {
  const row = await db.selectFrom("module_versions").selectAll().where("module_id", "=", m.id).where("version", "=", version).executeTakeFirst();
  if (!row) throw new AppError("not_found", `module ${m.namespace}/${m.name}/${m.terraform_provider} has no version ${version}: see the versions endpoint`);
  if (row.state === "FAILED" && !m.offer_failed_versions) throw new AppError("not_found", `version ${version} of module ${m.namespace}/${m.name}/${m.terraform_provider} failed its tests and is not offered: use another version`);
  if (row.state === "PENDING") throw new AppError("not_found", `version ${version} of module ${m.namespace}/${m.name}/${m.terraform_provider} is still being tested: wait for its test runs, or use another version`);
  return row;
}
