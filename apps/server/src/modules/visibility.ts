import type { Principal } from "../auth/principal.js";
import { reachCache } from "../attachments/reach.js";
import { scoped } from "../core.js";
import type { Db } from "../db/connect.js";
import { parseJson } from "../db/rows.js";
import type { ModulesTable } from "../db/schema.js";

/** The spaces a module lives in or is shared with: reading any of them reads the module. */
export const moduleSpaces = (m: Pick<ModulesTable, "space_id" | "shared_with">): string[] => [m.space_id, ...parseJson<string[]>(m.shared_with)];

/**
 * Whether a stack's runs may use a module: the module is in the stack's space or a space the
 * stack inherits from (its reach, as for contexts and policies), or shared with one of those.
 */
export async function stackCanUseModule(db: Db, stackSpaceId: string, m: Pick<ModulesTable, "space_id" | "shared_with">): Promise<boolean> {
  const reach = new Set((await reachCache(db)(stackSpaceId)).map((s) => s.id));
  return moduleSpaces(m).some((s) => reach.has(s));
}

/** Whether a person (or API key) may read a module: the read role in its space or a space it is shared with. */
export async function principalCanReadModule(db: Db, actor: Principal, m: Pick<ModulesTable, "space_id" | "shared_with">): Promise<boolean> {
  const { authz } = scoped(db);
  for (const s of moduleSpaces(m)) if (await authz.roleIn(actor, s)) return true;
  return false;
}
