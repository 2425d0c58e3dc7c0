import type { Db } from "../db/connect.js";
import type { StacksTable } from "../db/schema.js";

/**
 * The `owner/name` a stack's repository stands for on GitHub: the last two path segments of its
 * URL or path without `.git` (`https://github.com/acme/infra.git`, `git@github.com:acme/infra`,
 * `/srv/mirrors/acme/infra.git` all give `acme/infra`). Null when there are not two segments.
 */
export function githubRepoName(repository: string): string | null {
  const parts = repository.replace(/\.git\/*$|\/+$/g, "").split(/[/:]/).filter(Boolean);
  if (parts.length < 2) return null;
  return `${parts.at(-2)}/${parts.at(-1)}`.toLowerCase();
}

/** One spelling per repository for comparisons: no trailing slashes. */
export const normalizeRepository = (r: string): string => r.replace(/\/+$/, "");

/**
 * The stacks an event is about. A GitHub event reaches the stacks that use its integration and
 * name the same `owner/name`; a hook or poller event reaches every stack whose repository is the
 * same URL or path.
 */
export async function stacksForEvent(db: Db, ev: { source: string; integrationId: string | null; repository: string }): Promise<StacksTable[]> {
  if (ev.source === "github") {
    const rows = await db.selectFrom("stacks").selectAll().where("vcs_integration_id", "=", ev.integrationId).where("module_id", "is", null).orderBy("id").execute();
    const wanted = ev.repository.toLowerCase();
    return rows.filter((s) => githubRepoName(s.repository) === wanted);
  }
  const repo = normalizeRepository(ev.repository);
  // A module's test host is not a stack pushes run: its versions come from tags (modules/vcs-push.ts).
  return db.selectFrom("stacks").selectAll().where("repository", "in", [repo, `${repo}/`]).where("module_id", "is", null).orderBy("id").execute();
}
