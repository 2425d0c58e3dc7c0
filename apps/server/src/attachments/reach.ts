import type { AttachableKind } from "@gantry/contract";
import { sql } from "kysely";
import type { Db } from "../db/connect.js";
import { conflict } from "../errors.js";
import { SpaceTree, type SpaceNode } from "../spaces/tree.js";
import { attachableTables } from "./kinds.js";

/** Memoizes reaching-space chains per space for one operation. */
export function reachCache(db: Db): (spaceId: string) => Promise<SpaceNode[]> {
  const tree = new SpaceTree(db);
  const memo = new Map<string, Promise<SpaceNode[]>>();
  return (spaceId) => {
    let p = memo.get(spaceId);
    if (!p) memo.set(spaceId, (p = tree.reachingSpaces(spaceId)));
    return p;
  };
}

/**
 * Refuses (with every offender listed) when a direct attachment of a stack in `spaceIds` points
 * to an entity the stack's space can no longer reach. Called after moves and inheritance
 * changes, inside their transaction, so a refused change leaves nothing behind.
 */
export async function assertAttachmentsReachable(db: Db, spaceIds: readonly string[], stackIds?: readonly string[]): Promise<void> {
  if (spaceIds.length === 0 && !stackIds?.length) return;
  let q = db.selectFrom("attachments").innerJoin("stacks", "stacks.id", "attachments.stack_id").select(["attachments.stack_id", "attachments.kind", "attachments.entity_id", "stacks.space_id"]);
  q = stackIds ? q.where("stacks.id", "in", stackIds) : q.where("stacks.space_id", "in", spaceIds);
  const rows = await q.execute();
  await assertReachable(db, rows.map((r) => ({ stackId: r.stack_id, stackSpaceId: r.space_id, kind: r.kind as AttachableKind, entityId: r.entity_id })));
}

/** Same check for attachments whose entity moved: every stack attached to one of them. */
export async function assertEntityAttachmentsReachable(db: Db, kind: AttachableKind, entityId: string): Promise<void> {
  const rows = await db
    .selectFrom("attachments")
    .innerJoin("stacks", "stacks.id", "attachments.stack_id")
    .select(["attachments.stack_id", "stacks.space_id"])
    .where("attachments.kind", "=", kind)
    .where("attachments.entity_id", "=", entityId)
    .execute();
  await assertReachable(db, rows.map((r) => ({ stackId: r.stack_id, stackSpaceId: r.space_id, kind, entityId })));
}

interface Link { stackId: string; stackSpaceId: string; kind: AttachableKind; entityId: string }

async function assertReachable(db: Db, links: Link[]): Promise<void> {
  if (links.length === 0) return;
  const reach = reachCache(db);
  const entitySpace = new Map<string, string>();
  for (const kind of new Set(links.map((l) => l.kind))) {
    const ids = [...new Set(links.filter((l) => l.kind === kind).map((l) => l.entityId))];
    const { rows } = await sql<{ id: string; space_id: string }>`select id, space_id from ${sql.table(attachableTables[kind].table)} where id in (${sql.join(ids)})`.execute(db);
    for (const r of rows) entitySpace.set(`${kind}:${r.id}`, r.space_id);
  }
  const stranded: string[] = [];
  for (const l of links) {
    const space = entitySpace.get(`${l.kind}:${l.entityId}`);
    const chain = await reach(l.stackSpaceId);
    if (!space || !chain.some((s) => s.id === space)) stranded.push(`${attachableTables[l.kind].noun} ${l.entityId} -> stack ${l.stackId}`);
  }
  if (stranded.length > 0) {
    throw conflict(`the change would leave attachments out of reach of their stacks (${stranded.join("; ")}): detach them first or keep the spaces inheriting`);
  }
}
