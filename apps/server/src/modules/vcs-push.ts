import type { Core } from "../core.js";
import type { ModulePublisher } from "./publish.js";
import { vcsPublisher } from "./publisher.js";

/** A push as the VCS layer sees it (webhook, git hook or poller). */
export interface ModulePush { source: string; repository: string; branch: string | null; tag: string | null; after: string | null }

/**
 * Publishes what a push to a module's repository brings: a pushed tag on the module's branch,
 * tags merged into the branch, and the branch head when its module config names a new version.
 * Refusals (not semver, no .tf files, too large) are logged with the tag and reason, as at creation.
 */
export function modulePushHandler(core: Core, publisher: ModulePublisher) {
  const { db, log } = core;
  return async (push: ModulePush): Promise<void> => {
    if (push.after === null) return;
    const modules = await db.selectFrom("modules").selectAll().where("repository", "=", push.repository).execute();
    for (const m of modules) {
      if (push.branch !== null && push.branch !== m.branch) continue;
      const actor = vcsPublisher(push.source);
      try {
        const mirror = await publisher.mirrorOf(m);
        const tags = await publisher.publishBranchTags(actor, m, mirror);
        const viaConfig = push.branch === m.branch ? await publisher.publishConfiguredVersion(actor, m, push.branch, mirror) : null;
        const published = [...tags.published, ...(viaConfig?.published ?? [])].map((v) => v.version);
        if (published.length) log.info({ module: m.id, versions: published, source: push.source }, `module ${m.id}: published ${published.join(", ")} from a push`);
      } catch (err) {
        log.warn({ err, module: m.id, repository: push.repository }, `module ${m.id}: publishing from a push failed: ${(err as Error).message}`);
      }
    }
  };
}
