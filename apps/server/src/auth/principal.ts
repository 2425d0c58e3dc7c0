import type { Role } from "@gantry/contract";
import { forbidden } from "../errors.js";
import type { SpaceTree } from "../spaces/tree.js";

export const roleRank: Record<Role, number> = { read: 1, write: 2, admin: 3 };

export interface Binding {
  spaceId: string;
  role: Role;
}

/**
 * Who is calling. Users act through sessions or API keys; administrative runs act through
 * short-lived run API tokens whose one binding is admin on their stack's space (see
 * run-api-tokens.ts), so they reach that subtree and nothing above or beside it.
 */
export interface Principal {
  kind: "user" | "run";
  id: string;
  name: string;
  bindings: readonly Binding[];
  /** The session, API key or run API token the caller authenticated with. */
  credential?: { type: "session" | "apiKey" | "runApiToken"; id: string };
  /** A person's display name, for policy session documents. */
  displayName?: string;
  /** Teams a login policy mapped this session to (`roles`), beside Gantry's own teams. */
  policyTeams?: readonly string[];
  /** For run principals: the stack whose administrative run this is. */
  stackId?: string;
}

/**
 * Decides what a principal may do in a space. Roles granted on a space hold in its whole
 * subtree, so the effective role is the highest one bound on the space or any ancestor.
 */
export class Authorizer {
  constructor(private readonly tree: SpaceTree) {}

  /** The caller's effective role in a space, or undefined for none (also when the space does not exist). */
  async roleIn(principal: Principal, spaceId: string): Promise<Role | undefined> {
    if (principal.bindings.length === 0) return undefined;
    const chain = await this.tree.ancestors(spaceId);
    const onPath = new Set(chain.map((s) => s.id));
    let best: Role | undefined;
    for (const b of principal.bindings) {
      if (onPath.has(b.spaceId) && (!best || roleRank[b.role] > roleRank[best])) best = b.role;
    }
    return best;
  }

  /** Throws `forbidden` unless the caller holds at least `role` in the space. */
  async require(principal: Principal, spaceId: string, role: Role, action: string): Promise<void> {
    const has = await this.roleIn(principal, spaceId);
    if (!has || roleRank[has] < roleRank[role]) {
      throw forbidden(`${action} needs the ${role} role in space ${JSON.stringify(spaceId)}; you have ${has ? `only ${has}` : "no role"} there`);
    }
  }

  /** Every space in which the caller holds at least `role`, or "all" when it holds it on root. */
  async spacesWith(principal: Principal, role: Role): Promise<string[] | "all"> {
    const roots = principal.bindings.filter((b) => roleRank[b.role] >= roleRank[role]).map((b) => b.spaceId);
    if (roots.includes("root")) return "all";
    return this.tree.subtree([...new Set(roots)]);
  }

  isRootAdmin(principal: Principal): boolean {
    return principal.bindings.some((b) => b.spaceId === "root" && b.role === "admin");
  }
}
