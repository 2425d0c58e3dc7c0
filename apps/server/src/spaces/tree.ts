import { sql } from "kysely";
import type { Db } from "../db/connect.js";

/** One space on a path through the tree. */
export interface SpaceNode {
  id: string;
  parentSpaceId: string | null;
  inheritEntities: boolean;
}

type Row = { id: string; parent_space_id: string | null; inherit_entities: number; depth: number };

/** Deeper than any real tree; a backstop so a corrupted tree cannot make a walk run forever. */
const MAX_DEPTH = 64;

/**
 * Queries over the space tree. Roles and entity reach both follow the tree, so these two walks
 * (up to the root, down to the leaves) are what authorization and auto-attach are built on.
 */
export class SpaceTree {
  constructor(private readonly db: Db) {}

  /** The space and its ancestors, nearest first, ending at `root`; empty if the space does not exist. */
  async ancestors(spaceId: string): Promise<SpaceNode[]> {
    const { rows } = await sql<Row>`
      with recursive up(id, parent_space_id, inherit_entities, depth) as (
        select id, parent_space_id, inherit_entities, 0 from spaces where id = ${spaceId}
        union all
        select s.id, s.parent_space_id, s.inherit_entities, up.depth + 1 from spaces s join up on s.id = up.parent_space_id
        where up.depth < ${MAX_DEPTH}
      )
      select id, parent_space_id, inherit_entities, depth from up order by depth`.execute(this.db);
    return rows.map((r) => ({ id: r.id, parentSpaceId: r.parent_space_id, inheritEntities: Number(r.inherit_entities) === 1 }));
  }

  /** The given spaces and every space below them. */
  async subtree(rootIds: readonly string[]): Promise<string[]> {
    if (rootIds.length === 0) return [];
    const { rows } = await sql<{ id: string }>`
      with recursive down(id) as (
        select id from spaces where id in (${sql.join(rootIds)})
        union
        select s.id from spaces s join down on s.parent_space_id = down.id
      )
      select id from down`.execute(this.db);
    return rows.map((r) => r.id);
  }

  /**
   * The spaces whose entities reach a stack in `spaceId`: the space itself, then each parent
   * for as long as the space below it inherits entities. Nearest first.
   */
  async reachingSpaces(spaceId: string): Promise<SpaceNode[]> {
    const chain = await this.ancestors(spaceId);
    const reach: SpaceNode[] = [];
    for (const node of chain) {
      reach.push(node);
      if (!node.inheritEntities) break;
    }
    return reach;
  }
}
