import { useQuery } from "@tanstack/react-query";
import { meQuery, spacesQuery } from "./api.js";

const rank = { read: 1, write: 2, admin: 3 } as const;
export type Role = keyof typeof rank;

/**
 * The person's role in a space, from their role bindings and the space tree (a role holds in
 * the whole subtree). Only decides which buttons to show: the server checks every request.
 */
export function useRole(spaceId: string | undefined): Role | null {
  const me = useQuery(meQuery());
  const spaces = useQuery(spacesQuery());
  if (!spaceId || !me.data || !spaces.data) return null;
  const parent = new Map(spaces.data.items.map((s) => [s.id, s.parentSpaceId]));
  const chain = new Set<string>();
  for (let s: string | null | undefined = spaceId; s && !chain.has(s); s = parent.get(s)) chain.add(s);
  let best: Role | null = null;
  for (const b of me.data.roles) if (chain.has(b.spaceId) && (!best || rank[b.role] > rank[best])) best = b.role;
  return best;
}

export function allows(role: Role | null, needed: Role): boolean {
  return role !== null && rank[role] >= rank[needed];
}
