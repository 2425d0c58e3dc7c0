import type { Principal } from "../auth/principal.js";
import { reachCache } from "../attachments/reach.js";
import { scoped } from "../core.js";
import type { Db } from "../db/connect.js";
import { parseJson, toBool } from "../db/rows.js";
import type { ProviderNamespacesTable } from "../db/schema-providers.js";

type Visible = Pick<ProviderNamespacesTable, "space_id" | "shared_with" | "shipped">;

/** The spaces a namespace lives in or is shared with: reading any of them reads its providers. */
export const namespaceSpaces = (n: Pick<ProviderNamespacesTable, "space_id" | "shared_with">): string[] => [n.space_id, ...parseJson<string[]>(n.shared_with)];

/**
 * Whether a stack's runs may install a namespace's providers: shipped namespaces always; others
 * when in the stack's space or a space it inherits from, or shared with one of those (as modules).
 */
export async function stackCanUseNamespace(db: Db, stackSpaceId: string, n: Visible): Promise<boolean> {
  if (toBool(n.shipped)) return true;
  const reach = new Set((await reachCache(db)(stackSpaceId)).map((s) => s.id));
  return namespaceSpaces(n).some((s) => reach.has(s));
}

/** Whether a person may read a namespace: shipped ones, or the read role in its space or a shared one. */
export async function principalCanReadNamespace(db: Db, actor: Principal, n: Visible): Promise<boolean> {
  if (toBool(n.shipped)) return true;
  const { authz } = scoped(db);
  for (const s of namespaceSpaces(n)) if (await authz.roleIn(actor, s)) return true;
  return false;
}
