import { GitError, commitInfo, resolveRef, updateMirror } from "@gantry/git";
import semver from "semver";
import { ulid } from "ulid";
import type { ModuleVersion, PublishImpact } from "@gantry/contract";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, type Core } from "../core.js";
import { constraintKind, now } from "../db/rows.js";
import type { ModulesTable, ModuleVersionsTable } from "../db/schema.js";
import { AppError, conflict, invalidField } from "../errors.js";
import type { BlobStore } from "../runs/blob-store.js";
import { archiveModule, changelogBetween, checkModuleTree, configuredVersion, tagsOnBranch } from "./git-source.js";
import type { RegistrySettings } from "./rows.js";
import { publisherRef } from "./publisher.js";
import { moduleConfigFile, moduleTestCases } from "./test-cases.js";
import { recordTestCases, versionsWithTests } from "./test-runs.js";
import { recordVersionActivated } from "./version-events.js";

/** `v1.2.3` or `1.2.3` -> `1.2.3`; anything else null. */
export function versionOfTag(tag: string): string | null {
  const bare = tag.startsWith("v") ? tag.slice(1) : tag;
  return semver.valid(bare) === bare ? bare : null;
}

export interface PublishOutcome {
  /** What was published with a caveat (a version waiting on its tests). */
  warnings: string[];
  published: ModuleVersion[];
  impact: PublishImpact[];
  skipped: { ref: string; reason: string }[];
}

export interface PublisherDeps {
  core: Core;
  blobs: BlobStore;
  registry: RegistrySettings;
  mirrorDir: string;
  /**
   * Called once an ACTIVE version is committed: its consumers, their runs, TRIGGER policies, as
   * `actor` (see activation.ts; set once the run service exists). Null: it had already reacted.
   */
  onActive?: (versionId: string, actor: Principal) => Promise<PublishImpact | null>;
  /** Queues the TESTING runs of a version stored with test cases (set once the run service exists). */
  onTestsRecorded?: (actor: Principal, module: ModulesTable, version: ModuleVersionsTable) => Promise<void>;
}

/**
 * Publishes module versions from git: the archive of the project root at a commit, with its
 * commit, author, tag, changelog since the previous version. A version is immutable: the same
 * version from another commit is refused, from the same commit it is "already published".
 */
export function modulePublisher(deps: PublisherDeps) {
  const { core, blobs, registry } = deps;
  const { db, log } = core;

  /** The module's repository mirror, fetched now; an unreadable repository is the caller's to fix. */
  async function mirrorOf(m: Pick<ModulesTable, "repository">): Promise<string> {
    try {
      return await updateMirror(deps.mirrorDir, m.repository);
    } catch (err) {
      if (err instanceof GitError) throw invalidField(["repository"], err.message);
      throw err;
    }
  }

  async function previousVersion(moduleId: string, version: string): Promise<ModuleVersionsTable | null> {
    const rows = await db.selectFrom("module_versions").selectAll().where("module_id", "=", moduleId).execute();
    const lower = rows.filter((r) => semver.lt(r.version, version)).sort((a, b) => semver.rcompare(a.version, b.version));
    return lower[0] ?? null;
  }

  /** Publishes one ref; "already published" (same version, same commit) comes back as skipped. */
  async function publishRef(actor: Principal, m: ModulesTable, ref: string, mirror?: string): Promise<PublishOutcome> {
    const dir = mirror ?? (await mirrorOf(m));
    const sha = await resolveRef(dir, ref);
    if (!sha) throw invalidField(["ref"], `${JSON.stringify(ref)} is not a tag, branch or commit of ${m.repository}: push it first, or check the name`);
    const isTag = (await resolveRef(dir, `refs/tags/${ref}`)) === sha;
    let version = isTag ? versionOfTag(ref) : null;
    const fromConfig = version ? null : await configuredVersion(dir, sha, m.project_root);
    version ??= fromConfig;
    if (!version) {
      throw invalidField(["ref"], `${JSON.stringify(ref)} is not a semver tag (v1.2.3 or 1.2.3) and the module directory has no .spacelift/config.yml with module_version at ${sha.slice(0, 12)}: tag the commit with a version, or set module_version`);
    }
    if (!semver.valid(version) || semver.valid(version) !== version.replace(/^v/, "")) {
      throw invalidField(["ref"], `module_version ${JSON.stringify(version)} in .spacelift/config.yml is not a semantic version (like 1.2.3): fix the file`);
    }
    version = semver.valid(version)!;
    const existing = await db.selectFrom("module_versions").selectAll().where("module_id", "=", m.id).where("version", "=", version).executeTakeFirst();
    if (existing) {
      if (existing.commit_sha === sha) return { warnings: [], published: [], impact: [], skipped: [{ ref, reason: `version ${version} is already published from this commit` }] };
      throw conflict(`version ${version} of module ${m.id} is already published from commit ${existing.commit_sha.slice(0, 12)}: published versions never change; tag a new version`);
    }
    await checkModuleTree(dir, sha, m.project_root);
    // Test cases are read before anything is stored: a config file Gantry cannot act on is refused whole.
    const tests = await moduleTestCases(dir, sha, m.project_root);
    const archive = await archiveModule(dir, sha, m.project_root, registry.archiveMaxBytes);
    const previous = await previousVersion(m.id, version);
    const changes = await changelogBetween(dir, previous?.commit_sha ?? null, sha, m.project_root);
    const info = await commitInfo(dir, sha);
    const row = await inTransaction(db, async (trx) => {
      const id = ulid();
      const blobId = await blobs.put(trx, "module_version", id, "archive", archive, { keep: true });
      const blob = await trx.selectFrom("blobs").select(["size", "sha256"]).where("id", "=", blobId).executeTakeFirstOrThrow();
      const r: ModuleVersionsTable = {
        id, module_id: m.id, version: version!, state: tests.length ? "PENDING" : "ACTIVE", commit_sha: sha, author: info.author, message: info.message, tag: isTag ? ref : null,
        blob_id: blobId, size: blob.size, sha256: blob.sha256, changelog: JSON.stringify({ previousVersion: previous?.version ?? null, ...changes }), created_at: now(),
        // Kept so a version that waits on its tests reacts as its publisher when they pass.
        published_by: JSON.stringify(publisherRef(actor)), impact: null,
      };
      try {
        await trx.insertInto("module_versions").values(r).execute();
      } catch (err) {
        if (constraintKind(err) === "unique") throw conflict(`version ${version} of module ${m.id} was published concurrently: read it and retry if needed`);
        throw err;
      }
      await recordTestCases(trx, r, tests);
      if (r.state === "ACTIVE") await recordVersionActivated(trx, m, r);
      await recordAudit(trx, actor, { action: "module.version.publish", targetType: "module", targetId: m.id, spaceId: m.space_id, payload: { version, commit: sha, tag: r.tag } });
      return r;
    });
    log.info({ module: m.id, version, commit: sha }, "module version published");
    if (tests.length) {
      // The version is stored whatever happens next; a test run that cannot be queued leaves it
      // PENDING (not offered), which the warning says.
      const queued = await deps.onTestsRecorded?.(actor, m, row).then(() => null, (err: unknown) => (err as Error).message);
      const [published] = await versionsWithTests(db, [row]);
      const warnings = [
        `version ${version} is not offered until its ${tests.length} test case${tests.length === 1 ? "" : "s"} from ${moduleConfigFile(m.project_root)} pass (TESTING runs of stack ${JSON.stringify(`module:${m.id}`)}); its consumers and TRIGGER policies react when they do (the version's impact)`,
        ...(queued ? [`queueing the test runs of version ${version} failed: ${queued}`] : []),
      ];
      return { warnings, published: [published!], impact: [], skipped: [] };
    }
    // The version is stored whatever happens next: a failure here is reported, not a failed publish.
    const impact = await deps.onActive?.(row.id, actor).catch((err: unknown): PublishImpact => {
      log.error({ err, module: m.id, version }, "reacting to a published module version failed");
      return { version: version!, consumers: [], triggered: [], skipped: [], policyErrors: [`reacting to the new version failed: ${(err as Error).message}`] };
    });
    // Read after the reaction, so the answer carries the impact kept on the version.
    const stored = await db.selectFrom("module_versions").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    const [published] = await versionsWithTests(db, [stored]);
    return { warnings: [], published: [published!], impact: impact ? [impact] : [], skipped: [] };
  }

  return {
    mirrorOf,
    publishRef,

    /** Publishes the head of `branch` when its module config file names a version not published yet (else null). */
    async publishConfiguredVersion(actor: Principal, m: ModulesTable, branch: string, mirror?: string): Promise<PublishOutcome | null> {
      const dir = mirror ?? (await mirrorOf(m));
      const sha = await resolveRef(dir, `refs/heads/${branch}`);
      const version = sha ? await configuredVersion(dir, sha, m.project_root).catch(() => null) : null;
      if (!sha || !version || !semver.valid(version)) return null;
      const known = await db.selectFrom("module_versions").select("id").where("module_id", "=", m.id).where("version", "=", semver.valid(version)!).executeTakeFirst();
      return known ? null : publishRef(actor, m, sha, dir);
    },

    /**
     * Publishes every semver tag on the module's branch not published yet (at creation, and when
     * a push brings tags). A tag that is not semver is skipped with a log line; a tag whose
     * content is refused (no .tf files, too large) is skipped with its reason.
     */
    async publishBranchTags(actor: Principal, m: ModulesTable, mirror?: string): Promise<PublishOutcome> {
      const dir = mirror ?? (await mirrorOf(m));
      const out: PublishOutcome = { warnings: [], published: [], impact: [], skipped: [] };
      const tags = await tagsOnBranch(dir, m.branch);
      const known = new Set((await db.selectFrom("module_versions").select("version").where("module_id", "=", m.id).execute()).map((r) => r.version));
      const versioned = tags.map((tag) => ({ tag, version: versionOfTag(tag) }));
      for (const { tag, version } of versioned) {
        if (!version) {
          log.info({ module: m.id, tag }, `module ${m.id}: tag ${tag} is not a semantic version (v1.2.3 or 1.2.3), ignored`);
          out.skipped.push({ ref: tag, reason: "not a semantic version (v1.2.3 or 1.2.3)" });
        }
      }
      // Oldest first, so each changelog is against the version before it.
      const candidates = versioned.filter((v): v is { tag: string; version: string } => v.version !== null && !known.has(v.version)).sort((a, b) => semver.compare(a.version, b.version));
      for (const { tag } of candidates) {
        try {
          const r = await publishRef(actor, m, tag, dir);
          out.published.push(...r.published);
          out.warnings.push(...r.warnings);
          out.impact.push(...r.impact);
          out.skipped.push(...r.skipped);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          log.warn({ module: m.id, tag, reason: err.message }, `module ${m.id}: tag ${tag} not published`);
          out.skipped.push({ ref: tag, reason: err.message });
        }
      }
      return out;
    },
  };
}

export type ModulePublisher = ReturnType<typeof modulePublisher>;
