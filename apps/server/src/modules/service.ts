import type { CreateModule, Module, ModuleConsumer, UpdateModule } from "@gantry/contract";
import semver from "semver";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, lockTree, scoped, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { constraintKind, fromBool, now } from "../db/rows.js";
import type { ModulesTable } from "../db/schema.js";
import { alreadyExists, AppError, conflict, forbidden, invalidField, notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { slugify } from "../slug.js";
import type { ModulePublisher } from "./publish.js";
import { constraintAdmits } from "./constraints.js";
import { moduleFromRow, type RegistrySettings } from "./rows.js";
import { assertWorkerPoolUsable } from "../stacks/service.js";
import { deleteModuleStack, moduleStackId, syncModuleStack } from "./module-stack.js";
import { versionsWithTests } from "./test-runs.js";
import { moduleSpaces, principalCanReadModule } from "./visibility.js";

async function assertSpaces(db: Db, input: { spaceId?: string; sharedWith?: string[] }): Promise<void> {
  if (input.spaceId !== undefined && !(await db.selectFrom("spaces").select("id").where("id", "=", input.spaceId).executeTakeFirst())) {
    throw invalidField(["spaceId"], `space ${JSON.stringify(input.spaceId)} does not exist`);
  }
  for (const [i, s] of (input.sharedWith ?? []).entries()) {
    if (!(await db.selectFrom("spaces").select("id").where("id", "=", s).executeTakeFirst())) throw invalidField(["sharedWith", i], `space ${JSON.stringify(s)} does not exist`);
  }
}

/**
 * Modules of the private registry. Access follows stacks: read in the module's space (or a
 * space it is shared with) to read, write to create, change and publish.
 */
export function moduleService(core: Core, deps: { registry: RegistrySettings; publisher: ModulePublisher }) {
  const { db } = core;
  const { registry, publisher } = deps;

  async function load(id: string, d: Db = db): Promise<ModulesTable> {
    const row = await d.selectFrom("modules").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("module", id);
    return row;
  }

  /**
   * Loads a module the caller may read: read in its space or in a space it is shared with. The
   * management API refuses like stacks do (403); the registry protocol answers 404 instead.
   */
  async function readable(actor: Principal, id: string, d: Db = db): Promise<ModulesTable> {
    const row = await load(id, d);
    if (!(await principalCanReadModule(d, actor, row))) throw forbidden(`reading a module needs the read role in space ${JSON.stringify(row.space_id)} or a space it is shared with; you have none there`);
    return row;
  }

  async function latest(moduleId: string): Promise<string | null> {
    const rows = await db.selectFrom("module_versions").select("version").where("module_id", "=", moduleId).where("state", "=", "ACTIVE").execute();
    return semver.rsort(rows.map((r) => r.version))[0] ?? null;
  }

  const out = async (row: ModulesTable): Promise<Module> => moduleFromRow(row, registry, await latest(row.id));

  return {
    load,
    readable,

    async list(actor: Principal, q: { limit: number; cursor?: string }) {
      let query = db.selectFrom("modules").selectAll().orderBy("id");
      if (q.cursor) query = query.where("id", ">", q.cursor);
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      // Shared modules are readable beyond their space: filter row by row when not root.
      const rows = visible === "all" ? await query.limit(q.limit + 1).execute() : (await query.execute()).filter((r) => moduleSpaces(r).some((s) => visible.includes(s))).slice(0, q.limit + 1);
      const page = pageOf(rows, q.limit);
      return { items: await Promise.all(page.items.map(out)), nextCursor: page.nextCursor };
    },

    async get(actor: Principal, id: string) {
      return out(await readable(actor, id));
    },

    /** The id of the module's host stack (made for modules registered before it existed), for attachments. */
    async hostStack(actor: Principal, id: string): Promise<string> {
      const row = await readable(actor, id);
      const host = await db.selectFrom("stacks").select("id").where("id", "=", moduleStackId(id)).executeTakeFirst();
      if (!host) await inTransaction(db, (trx) => syncModuleStack(trx, row));
      return moduleStackId(id);
    },

    async create(actor: Principal, input: z.output<typeof CreateModule>) {
      await assertSpaces(db, input);
      await scoped(db).authz.require(actor, input.spaceId, "write", "creating a module");
      // The pool runs the module's test cases: usable as for a stack in the module's space.
      await assertWorkerPoolUsable(db, actor, input.workerPoolId, input.spaceId);
      const at = now();
      const row: ModulesTable = {
        id: input.id ?? slugify(`terraform-${input.terraformProvider}-${input.name}`), name: input.name, terraform_provider: input.terraformProvider,
        namespace: input.namespace, description: input.description, repository: input.repository, branch: input.branch, project_root: input.projectRoot.replace(/\/+$/, ""),
        space_id: input.spaceId, labels: JSON.stringify([...new Set(input.labels)]), shared_with: JSON.stringify([...new Set(input.sharedWith)]),
        worker_pool_id: input.workerPoolId, protect_from_deletion: fromBool(input.protectFromDeletion), trigger_consumers: input.triggerConsumers,
        offer_failed_versions: fromBool(input.offerFailedVersions), created_at: at, updated_at: at,
      };
      // The repository and branch are checked before anything is stored, so a typo leaves nothing behind.
      const mirror = await publisher.mirrorOf(row);
      const { resolveRef } = await import("@gantry/git");
      if (!(await resolveRef(mirror, `refs/heads/${row.branch}`))) throw invalidField(["branch"], `branch ${JSON.stringify(row.branch)} does not exist in ${row.repository}: push it first or fix the branch`);
      await inTransaction(db, async (trx) => {
        const clash = await trx.selectFrom("modules").select("id").where("namespace", "=", row.namespace).where("name", "=", row.name).where("terraform_provider", "=", row.terraform_provider).executeTakeFirst();
        if (clash) {
          // A 409 like a taken id, naming the name field so the form shows it there.
          const message = `module ${row.namespace}/${row.name}/${row.terraform_provider} is already registered (as ${clash.id}): pick another name, provider or namespace`;
          throw new AppError("conflict", message, { issues: [{ path: ["name"], message }] });
        }
        try {
          await trx.insertInto("modules").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("module", row.id, input.id ? ["id"] : ["name"]);
          throw err;
        }
        await syncModuleStack(trx, row);
        await recordAudit(trx, actor, { action: "module.create", targetType: "module", targetId: row.id, spaceId: row.space_id, payload: input });
      });
      await publisher.publishBranchTags(actor, row, mirror);
      return out(row);
    },

    async update(actor: Principal, id: string, input: z.output<typeof UpdateModule>) {
      const next = await inTransaction(db, async (trx) => {
        if (input.spaceId !== undefined) await lockTree(trx, core.dialect);
        const row = await load(id, trx);
        const { authz } = scoped(trx);
        await authz.require(actor, row.space_id, "write", "changing a module");
        await assertSpaces(trx, input);
        if (input.spaceId !== undefined && input.spaceId !== row.space_id) await authz.require(actor, input.spaceId, "write", "moving a module into a space");
        const n: ModulesTable = {
          ...row,
          description: input.description ?? row.description, namespace: input.namespace ?? row.namespace, repository: input.repository ?? row.repository,
          branch: input.branch ?? row.branch, project_root: input.projectRoot?.replace(/\/+$/, "") ?? row.project_root, space_id: input.spaceId ?? row.space_id,
          labels: input.labels ? JSON.stringify([...new Set(input.labels)]) : row.labels, shared_with: input.sharedWith ? JSON.stringify([...new Set(input.sharedWith)]) : row.shared_with,
          worker_pool_id: input.workerPoolId !== undefined ? input.workerPoolId : row.worker_pool_id,
          protect_from_deletion: input.protectFromDeletion !== undefined ? fromBool(input.protectFromDeletion) : row.protect_from_deletion,
          trigger_consumers: input.triggerConsumers ?? row.trigger_consumers,
          offer_failed_versions: input.offerFailedVersions !== undefined ? fromBool(input.offerFailedVersions) : row.offer_failed_versions, updated_at: now(),
        };
        if (input.workerPoolId !== undefined || input.spaceId !== undefined) await assertWorkerPoolUsable(trx, actor, n.worker_pool_id, n.space_id);
        try {
          await trx.updateTable("modules").set(n).where("id", "=", id).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw conflict(`module ${n.namespace}/${n.name}/${n.terraform_provider} is already registered: pick another namespace`);
          throw err;
        }
        await syncModuleStack(trx, n);
        await recordAudit(trx, actor, { action: "module.update", targetType: "module", targetId: id, spaceId: n.space_id, payload: input });
        return n;
      });
      return out(next);
    },

    async delete(actor: Principal, id: string) {
      await inTransaction(db, async (trx) => {
        const row = await load(id, trx);
        await scoped(trx).authz.require(actor, row.space_id, "write", "deleting a module");
        if (row.protect_from_deletion) throw conflict(`module ${JSON.stringify(id)} is protected from deletion: set protectFromDeletion to false first`);
        const versions = await trx.selectFrom("module_versions").select("id").where("module_id", "=", id).execute();
        if (versions.length) await trx.deleteFrom("blobs").where("owner_type", "=", "module_version").where("owner_id", "in", versions.map((v) => v.id)).execute();
        await trx.deleteFrom("module_consumers").where("module_id", "=", id).execute();
        await deleteModuleStack(trx, id);
        await trx.deleteFrom("module_versions").where("module_id", "=", id).execute();
        await trx.deleteFrom("modules").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "module.delete", targetType: "module", targetId: id, spaceId: row.space_id });
      });
    },

    async versions(actor: Principal, id: string) {
      await readable(actor, id);
      const rows = await db.selectFrom("module_versions").selectAll().where("module_id", "=", id).execute();
      return { items: await versionsWithTests(db, rows.sort((a, b) => semver.rcompare(a.version, b.version))) };
    },

    async version(actor: Principal, id: string, version: string) {
      await readable(actor, id);
      const row = await db.selectFrom("module_versions").selectAll().where("module_id", "=", id).where("version", "=", version).executeTakeFirst();
      if (!row) throw notFound("module version", `${id}@${version}`);
      return (await versionsWithTests(db, [row]))[0]!;
    },

    async publish(actor: Principal, id: string, ref: string) {
      const row = await readable(actor, id);
      await scoped(db).authz.require(actor, row.space_id, "write", "publishing a module version");
      return publisher.publishRef(actor, row, ref);
    },

    /** Yanking hides a version from terraform's list for stacks that do not use it yet; those that do keep it. */
    async setVersionState(actor: Principal, id: string, version: string, state: "ACTIVE" | "YANKED") {
      return inTransaction(db, async (trx) => {
        const m = await readable(actor, id, trx);
        await scoped(trx).authz.require(actor, m.space_id, "write", "yanking a module version");
        const row = await trx.selectFrom("module_versions").selectAll().where("module_id", "=", id).where("version", "=", version).executeTakeFirst();
        if (!row) throw notFound("module version", `${id}@${version}`);
        if (row.state === "FAILED" && state === "ACTIVE") throw conflict(`version ${version} failed its tests: publish a fixed version instead of restoring it (or set offerFailedVersions on the module)`);
        if (row.state === "PENDING" && state === "ACTIVE") throw conflict(`version ${version} is still being tested: it becomes ACTIVE when its test runs pass`);
        await trx.updateTable("module_versions").set({ state }).where("id", "=", row.id).execute();
        await recordAudit(trx, actor, { action: state === "YANKED" ? "module.version.yank" : "module.version.restore", targetType: "module", targetId: id, spaceId: m.space_id, payload: { version } });
        return (await versionsWithTests(trx, [{ ...row, state }]))[0]!;
      });
    },

    async consumers(actor: Principal, id: string): Promise<{ items: ModuleConsumer[] }> {
      await readable(actor, id);
      const rows = await db.selectFrom("module_consumers").selectAll().where("module_id", "=", id).orderBy("stack_id").execute();
      const active = (await db.selectFrom("module_versions").select("version").where("module_id", "=", id).where("state", "=", "ACTIVE").execute()).map((r) => r.version);
      return {
        items: rows.map((r) => {
          const newer = semver.rsort(active.filter((v) => semver.gt(v, r.version) && constraintAdmits(r.constraint_text, v)))[0] ?? null;
          return { stackId: r.stack_id, version: r.version, newerMatchingVersion: newer, updatedAt: r.updated_at };
        }),
      };
    },
  };
}

export type ModuleService = ReturnType<typeof moduleService>;
