import { lsRemoteHeads, lsRemoteTags } from "@gantry/git";
import { now } from "../db/rows.js";
import { periodic, type PeriodicSubsystem } from "../subsystems/periodic.js";
import { ingestVcsEvent, type IngestDeps } from "./ingest.js";

/**
 * One polling round: `git ls-remote` each distinct repository that stacks track (GitHub stacks
 * are left to webhooks), and for every tracked branch whose head moved since the last round, the
 * same push event a hook would send. Nothing is fetched unless a head moved. The heads seen are
 * stored, so the first sight of a branch (and a restart) records it without running anything.
 */
export async function pollOnce(deps: IngestDeps): Promise<{ repositories: number; events: number }> {
  const { db, log } = deps.engine.core;
  const stacks = await db.selectFrom("stacks").leftJoin("vcs_integrations", "vcs_integrations.id", "stacks.vcs_integration_id")
    .select(["stacks.repository", "stacks.branch", "vcs_integrations.provider"]).where("stacks.module_id", "is", null).execute();
  const tracked = new Map<string, Set<string>>();
  for (const s of stacks) {
    if (s.provider === "GITHUB") continue;
    const set = tracked.get(s.repository) ?? new Set<string>();
    set.add(s.branch);
    tracked.set(s.repository, set);
  }
  // Module repositories too: a push to a module's branch publishes its new tags.
  const moduleRepositories = new Set<string>();
  for (const m of await db.selectFrom("modules").select(["repository", "branch"]).execute()) {
    const set = tracked.get(m.repository) ?? new Set<string>();
    set.add(m.branch);
    tracked.set(m.repository, set);
    moduleRepositories.add(m.repository);
  }
  let events = 0;
  for (const [repository, branches] of tracked) {
    let heads: Map<string, string>;
    try {
      heads = await lsRemoteHeads(repository);
    } catch (err) {
      log.warn({ err, repository }, `vcs poller: ${(err as Error).message}`);
      continue;
    }
    const seen = new Map((await db.selectFrom("vcs_heads").select(["branch", "sha"]).where("repository", "=", repository).execute()).map((r) => [r.branch, r.sha]));
    for (const branch of branches) {
      const head = heads.get(branch) ?? null;
      const before = seen.get(branch) ?? null;
      if (head === before) continue;
      if (before !== null) {
        events++;
        await ingestVcsEvent(deps, { source: "poller", integrationId: null, event: { kind: "push", repository, branch, tag: null, before, after: head, forced: false, message: "", author: "" } })
          .catch((err: unknown) => log.warn({ err, repository, branch }, "vcs poller: ingesting a push failed"));
      }
      if (head === null) await db.deleteFrom("vcs_heads").where("repository", "=", repository).where("branch", "=", branch).execute();
      else if (before === null) await db.insertInto("vcs_heads").values({ repository, branch, sha: head, updated_at: now() }).execute();
      else await db.updateTable("vcs_heads").set({ sha: head, updated_at: now() }).where("repository", "=", repository).where("branch", "=", branch).execute();
    }
    if (moduleRepositories.has(repository)) events += await pollTags(deps, repository);
  }
  return { repositories: tracked.size, events };
}

/** Where a tag's last seen commit is kept in `vcs_heads` (branch names are stored bare, so never clash). */
const TAG_KEY = "refs/tags/";

/**
 * A tag pushed to a module's repository publishes even when no branch head moved (tagging an
 * existing commit): each tag not seen before, or moved, becomes a tag push event, which the
 * module registry turns into versions (publishing is idempotent, so a tag seen again after a
 * restart publishes nothing twice).
 */
async function pollTags(deps: IngestDeps, repository: string): Promise<number> {
  const { db, log } = deps.engine.core;
  let tags: Map<string, string>;
  try {
    tags = await lsRemoteTags(repository);
  } catch (err) {
    log.warn({ err, repository }, `vcs poller: ${(err as Error).message}`);
    return 0;
  }
  const seen = new Map((await db.selectFrom("vcs_heads").select(["branch", "sha"]).where("repository", "=", repository).where("branch", "like", `${TAG_KEY}%`).execute()).map((r) => [r.branch.slice(TAG_KEY.length), r.sha]));
  let events = 0;
  for (const [tag, sha] of tags) {
    const before = seen.get(tag) ?? null;
    if (before === sha) continue;
    events++;
    await ingestVcsEvent(deps, { source: "poller", integrationId: null, event: { kind: "push", repository, branch: null, tag, before: before ?? "0".repeat(40), after: sha, forced: false, message: "", author: "" } })
      .catch((err: unknown) => log.warn({ err, repository, tag }, "vcs poller: ingesting a tag push failed"));
    if (before === null) await db.insertInto("vcs_heads").values({ repository, branch: `${TAG_KEY}${tag}`, sha, updated_at: now() }).execute();
    else await db.updateTable("vcs_heads").set({ sha, updated_at: now() }).where("repository", "=", repository).where("branch", "=", `${TAG_KEY}${tag}`).execute();
  }
  return events;
}

/**
 * The poller as an exclusive subsystem: one replica polls every `intervalSeconds` (0: only when
 * asked through `runNow`, e.g. by tests).
 */
export function vcsPollerSubsystem(deps: IngestDeps, intervalSeconds: number): PeriodicSubsystem {
  return periodic({ name: "vcs-poller", mode: "exclusive", intervalMs: intervalSeconds * 1000, round: async () => void (await pollOnce(deps)) });
}
