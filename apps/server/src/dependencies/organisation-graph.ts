import type { DependencyGraph } from "@gantry/contract";
import { stackAccess } from "../access/stack-access.js";
import type { Principal } from "../auth/principal.js";
import { scoped, type Core } from "../core.js";
import { parseJson } from "../db/rows.js";
import type { StacksTable } from "../db/schema.js";
import { allEdges } from "./repository.js";

/** Stacks are read in chunks: an `in` list stays well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * The dependency graph across every stack the caller can read: each dependency whose two stacks
 * are readable (a stack the caller cannot read is never named), kept when either end matches the
 * space and label filters. Stacks without dependencies are left out: they would be thousands of
 * unconnected boxes.
 */
export async function organisationGraph(core: Core, actor: Principal, filter: { spaceId?: string; label?: string }): Promise<DependencyGraph> {
  const { db } = core;
  const edges = await allEdges(db);
  const ids = [...new Set(edges.flatMap((e) => [e.stack, e.upstream]))];
  const rows: StacksTable[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) rows.push(...(await db.selectFrom("stacks").selectAll().where("id", "in", ids.slice(i, i + CHUNK)).execute()));
  // Readable as the stacks list decides it: space roles, or ACCESS policies when any apply.
  const access = stackAccess(core);
  let readable: StacksTable[];
  if (await access.policiesApply(db, actor)) readable = await access.readable(db, actor, rows);
  else {
    const spaces = await scoped(db).authz.spacesWith(actor, "read");
    readable = spaces === "all" ? rows : rows.filter((r) => spaces.includes(r.space_id));
  }
  const byId = new Map(readable.map((r) => [r.id, r]));
  const matches = (r: StacksTable) => (!filter.spaceId || r.space_id === filter.spaceId) && (!filter.label || parseJson<string[]>(r.labels).includes(filter.label));
  const kept = edges.filter((e) => byId.has(e.stack) && byId.has(e.upstream) && (matches(byId.get(e.stack)!) || matches(byId.get(e.upstream)!)));
  const shown = [...new Set(kept.flatMap((e) => [e.stack, e.upstream]))].sort();
  return {
    stacks: shown.map((id) => {
      const r = byId.get(id)!;
      return { id, name: r.name, spaceId: r.space_id, state: r.state, matchesFilter: matches(r) };
    }),
    dependencies: kept.map((e) => ({ stackId: e.stack, dependsOnStackId: e.upstream })).sort((a, b) => a.stackId.localeCompare(b.stackId) || a.dependsOnStackId.localeCompare(b.dependsOnStackId)),
  };
}
