import type { Kysely } from "kysely";

/**
 * `stacks.lock_note`: why the stack is locked, as the person who locked it wrote it (`lockStack`'s
 * `note`), so whoever finds the stack locked sees the reason beside the owner. Null when the lock
 * carries no note or the stack is not locked; cleared with the lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("stacks").addColumn("lock_note", "text").execute();
}
