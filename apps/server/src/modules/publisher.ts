import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { parseJson, toBool } from "../db/rows.js";
import { userBindings } from "../users/authenticate.js";

/**
 * Who published a module version, as stored with it (`module_versions.published_by`): a person,
 * a VCS event (a pushed tag, the poller), or an administrative stack's run. Only the identity is
 * kept, never a credential or a snapshot of roles: when a version with tests becomes ACTIVE
 * later, its reaction acts with what the publisher may do *then*.
 */
export type PublisherRef =
  | { kind: "user"; id: string; name: string }
  | { kind: "vcs"; name: string }
  | { kind: "run"; runId: string; stackId: string; name: string };

/** The id of the principal that publishes what a push brought (see vcs-push.ts). */
export const VCS_PUBLISHER_ID = "vcs";

/** Who publishes versions that a push brought (named in the audit trail); it holds no roles. */
export const vcsPublisher = (source: string): Principal => ({ kind: "user", id: VCS_PUBLISHER_ID, name: `vcs:${source}`, bindings: [] });

export function publisherRef(actor: Principal): PublisherRef {
  if (actor.kind === "run" && actor.stackId) return { kind: "run", runId: actor.id, stackId: actor.stackId, name: actor.name };
  if (actor.id === VCS_PUBLISHER_ID) return { kind: "vcs", name: actor.name };
  return { kind: "user", id: actor.id, name: actor.name };
}

/**
 * The principal a version's delayed reaction acts as:
 * - a person: their role bindings now (a disabled or deleted account holds none, so nothing is
 *   triggered and each skip says why). Roles a LOGIN policy granted to the session they
 *   published with are not re-derived: that session may be long gone;
 * - an administrative stack: admin on the stack's space now, as its runs' API tokens are (none
 *   once the stack is deleted);
 * - a VCS event, or a version published before publishers were stored: no roles.
 */
export async function publisherPrincipal(db: Db, stored: string | null | undefined): Promise<Principal> {
  const ref = stored ? parseJson<PublisherRef>(stored) : null;
  if (!ref) return { kind: "user", id: "unknown", name: "an unknown publisher", bindings: [] };
  if (ref.kind === "vcs") return vcsPublisher(ref.name.replace(/^vcs:/, ""));
  if (ref.kind === "run") {
    const stack = await db.selectFrom("stacks").select(["space_id"]).where("id", "=", ref.stackId).executeTakeFirst();
    return { kind: "run", id: ref.runId, name: ref.name, stackId: ref.stackId, bindings: stack ? [{ spaceId: stack.space_id, role: "admin" }] : [] };
  }
  const user = await db.selectFrom("users").select(["id", "username", "display_name", "disabled"]).where("id", "=", ref.id).executeTakeFirst();
  if (!user || toBool(user.disabled)) return { kind: "user", id: ref.id, name: ref.name, bindings: [] };
  return { kind: "user", id: user.id, name: user.username, displayName: user.display_name, bindings: await userBindings(db, user.id) };
}
