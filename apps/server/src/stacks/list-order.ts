import type { StackSort } from "@gantry/contract";
import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import type { Db } from "../db/connect.js";
import type { Database } from "../db/schema.js";
import { AppError } from "../errors.js";
import { newestRunIdOfStack } from "../runs/repository.js";

type StacksQuery<O> = SelectQueryBuilder<Database, "stacks", O>;

/**
 * What each sort key orders by. `lastRun` is the newest run's id (ULIDs grow with time), read
 * through the runs index per stack; stacks without runs compare as '' (first, or last reversed),
 * the same on SQLite and PostgreSQL (where NULLs would otherwise sort the other way).
 */
const sortValue: Record<string, RawBuilder<string>> = {
  name: sql<string>`stacks.name`,
  state: sql<string>`stacks.state`,
  space: sql<string>`stacks.space_id`,
  updated: sql<string>`stacks.updated_at`,
  lastRun: sql<string>`coalesce(${newestRunIdOfStack}, '')`,
};

/** A sort key and its direction. */
function parse(sort: StackSort): { value: RawBuilder<string>; desc: boolean } {
  const desc = sort.startsWith("-");
  return { value: sortValue[desc ? sort.slice(1) : sort]!, desc };
}

/** Orders the list by the key, ties broken by id in the same direction (keyset pagination needs a total order). */
export function orderStacks<O>(query: StacksQuery<O>, sort: StackSort): StacksQuery<O> {
  const { value, desc } = parse(sort);
  const dir = sql.raw(desc ? "desc" : "asc");
  return query.orderBy(sql`${value} ${dir}`).orderBy(sql`stacks.id ${dir}`);
}

/**
 * Keeps the stacks after `cursor` (the last id of the previous page) in the sort order. The
 * cursor stack's current sort value is read again, so a cursor stays a plain id; a stack that
 * was deleted meanwhile cannot say where the next page starts, and the caller is told to start over.
 */
export async function afterCursor<O>(db: Db, query: StacksQuery<O>, sort: StackSort, cursor: string): Promise<StacksQuery<O>> {
  const { value, desc } = parse(sort);
  const at = await db.selectFrom("stacks").select(value.as("v")).where("id", "=", cursor).executeTakeFirst();
  if (!at) {
    throw new AppError("bad_request", `invalid request query: cursor: stack ${JSON.stringify(cursor)} no longer exists, so the next page of this sorted list cannot be found: start again from the first page`, {
      part: "query", issues: [{ path: ["cursor"], message: "points at a stack that no longer exists" }],
    });
  }
  const beyond = sql.raw(desc ? "<" : ">");
  return query.where(sql<boolean>`(${value} ${beyond} ${at.v} or (${value} = ${at.v} and stacks.id ${beyond} ${cursor}))`);
}
