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

/**
 * The spaces in which the person holds at least `needed` (for a create form's space choice):
 * a role on a space holds in its whole subtree. Null while loading.
 */
export function useSpacesAllowing(needed: Role): { id: string; name: string }[] | null {
  const me = useQuery(meQuery());
  const spaces = useQuery(spacesQuery());
  if (!me.data || !spaces.data) return null;
  const parent = new Map(spaces.data.items.map((s) => [s.id, s.parentSpaceId]));
  const granted = new Map<string, Role>();
  for (const b of me.data.roles) if (!granted.has(b.spaceId) || rank[b.role] > rank[granted.get(b.spaceId)!]) granted.set(b.spaceId, b.role);
  return spaces.data.items.filter((s) => {
    const seen = new Set<string>();
    for (let at: string | null | undefined = s.id; at && !seen.has(at); at = parent.get(at)) {
      seen.add(at);
      const r = granted.get(at);
      if (r && rank[r] >= rank[needed]) return true;
    }
    return false;
  }).map((s) => ({ id: s.id, name: s.name }));
}
