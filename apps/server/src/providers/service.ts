import { SHIPPED_PROVIDERS, type CreateProviderNamespace, type Provider, type PublishProviderVersion } from "@gantry/contract";
import semver from "semver";
import { ulid } from "ulid";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { constraintKind, fromBool, now, toBool } from "../db/rows.js";
import type { ProviderNamespacesTable, ProviderVersionsTable } from "../db/schema-providers.js";
import { alreadyExists, conflict, forbidden, invalidField, notFound } from "../errors.js";
import type { RegistrySettings } from "../modules/rows.js";
import { pageOf } from "../pagination.js";
import type { BlobStore } from "../runs/blob-store.js";
import { readPublicKey, type PublicKey } from "./gpg.js";
import { namespaceFromRow, versionFromRow } from "./rows.js";
import { verifyProviderUpload, type ProviderUpload } from "./verify-publish.js";
import { namespaceSpaces, principalCanReadNamespace } from "./visibility.js";

/** Blob owner type of provider zips. */
export const PROVIDER_PACKAGE_BLOB = "provider_package";

/**
 * The provider registry's namespaces, keys and versions. Access follows the namespace's space
 * (read to read, write to change and publish); shipped namespaces are readable by everyone and
 * changed only by Gantry itself at start-up.
 */
export function providerService(core: Core, deps: { registry: RegistrySettings; blobs: BlobStore }) {
  const { db } = core;

  async function loadNamespace(id: string, d: Db = db): Promise<ProviderNamespacesTable> {
    const row = await d.selectFrom("provider_namespaces").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("provider namespace", id);
    return row;
  }
  async function readable(actor: Principal, id: string): Promise<ProviderNamespacesTable> {
    const row = await loadNamespace(id);
    if (!(await principalCanReadNamespace(db, actor, row))) throw forbidden(`reading provider namespace ${JSON.stringify(id)} needs the read role in space ${JSON.stringify(row.space_id)} or a space it is shared with; you have none there`);
    return row;
  }
  /** Loads a namespace the caller may change: write in its space; shipped ones belong to Gantry. */
  async function writable(actor: Principal, id: string, action: string, d: Db = db): Promise<ProviderNamespacesTable> {
    const row = await loadNamespace(id, d);
    await scoped(d).authz.require(actor, row.space_id, "write", action);
    if (row.shipped) throw forbidden(`provider namespace ${JSON.stringify(id)} holds the providers Gantry ships and publishes at start-up: it cannot be changed by hand; use a namespace of your own`);
    return row;
  }
  const keysOf = (d: Db, namespaceId: string) => d.selectFrom("provider_gpg_keys").selectAll().where("namespace_id", "=", namespaceId).orderBy("created_at").execute();
  const outNamespace = async (row: ProviderNamespacesTable) => namespaceFromRow(row, await keysOf(db, row.id));
  async function outVersion(d: Db, v: ProviderVersionsTable) {
    const packages = await d.selectFrom("provider_packages").selectAll().where("version_id", "=", v.id).orderBy("os").orderBy("arch").execute();
    return versionFromRow(v, packages);
  }

  /**
   * Verifies and stores a version (in one transaction: a refused upload leaves nothing). The same
   * version again with the same SHA256SUMS is reported as already published; with other content
   * it is refused, since lock files hold its hashes.
   */
  async function storeVersion(actor: Principal, ns: ProviderNamespacesTable, type: string, upload: ProviderUpload & { protocols: string[] }) {
    const keys: PublicKey[] = (await keysOf(db, ns.id)).map((k) => ({ keyId: k.key_id, fingerprint: k.fingerprint, asciiArmor: k.ascii_armor }));
    const existing = await db.selectFrom("provider_versions").selectAll().where("namespace_id", "=", ns.id).where("type", "=", type).where("version", "=", upload.version).executeTakeFirst();
    if (existing) {
      if (existing.shasums === upload.shasums) return { version: await outVersion(db, existing), alreadyPublished: true };
      throw conflict(`${ns.id}/${type} ${upload.version} is already published with other builds, and published versions never change (lock files hold their hashes): publish a new version`);
    }
    const { keyId, packages } = await verifyProviderUpload(ns.id, type, upload, keys);
    return inTransaction(db, async (trx) => {
      const row: ProviderVersionsTable = {
        id: ulid(), namespace_id: ns.id, type, version: upload.version, protocols: JSON.stringify(upload.protocols), shasums: upload.shasums,
        shasums_signature: Buffer.from(upload.shasumsSignature).toString("base64"), key_id: keyId, created_at: now(), yanked: 0, build_fingerprint: null,
      };
      try {
        await trx.insertInto("provider_versions").values(row).execute();
      } catch (err) {
        if (constraintKind(err) === "unique") throw conflict(`${ns.id}/${type} ${upload.version} was published meanwhile: list the versions and publish a new one if it differs`);
        throw err;
      }
      for (const p of packages) {
        const id = ulid();
        const blobId = await deps.blobs.put(trx, PROVIDER_PACKAGE_BLOB, id, "zip", Buffer.from(p.content));
        await trx.insertInto("provider_packages").values({ id, version_id: row.id, os: p.os, arch: p.arch, filename: p.filename, blob_id: blobId, size: p.content.length, sha256: p.sha256, h1: p.h1 }).execute();
      }
      await recordAudit(trx, actor, { action: "provider.version.publish", targetType: "provider", targetId: `${ns.id}/${type}`, spaceId: ns.space_id, payload: { version: upload.version, keyId, platforms: packages.map((p) => `${p.os}_${p.arch}`) } });
      return { version: await outVersion(trx, row), alreadyPublished: false };
    });
  }

  async function dropVersions(trx: Db, rows: ProviderVersionsTable[]) {
    for (const v of rows) {
      const ids = (await trx.selectFrom("provider_packages").select("id").where("version_id", "=", v.id).execute()).map((p) => p.id);
      if (ids.length) await trx.deleteFrom("blobs").where("owner_type", "=", PROVIDER_PACKAGE_BLOB).where("owner_id", "in", ids).execute();
      await trx.deleteFrom("provider_packages").where("version_id", "=", v.id).execute();
      await trx.deleteFrom("provider_versions").where("id", "=", v.id).execute();
    }
  }

  return {
    loadNamespace,
    storeVersion,
    dropVersions,

    async listNamespaces(actor: Principal, q: { limit: number; cursor?: string }) {
      let query = db.selectFrom("provider_namespaces").selectAll().orderBy("id");
      if (q.cursor) query = query.where("id", ">", q.cursor);
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      const rows = (await query.execute()).filter((r) => visible === "all" || r.shipped || namespaceSpaces(r).some((s) => visible.includes(s))).slice(0, q.limit + 1);
      const page = pageOf(rows, q.limit);
      return { items: await Promise.all(page.items.map(outNamespace)), nextCursor: page.nextCursor };
    },

    async getNamespace(actor: Principal, id: string) {
      return outNamespace(await readable(actor, id));
    },

    async createNamespace(actor: Principal, input: z.output<typeof CreateProviderNamespace>) {
      for (const [i, s] of [input.spaceId, ...input.sharedWith].entries()) {
        if (!(await db.selectFrom("spaces").select("id").where("id", "=", s).executeTakeFirst())) throw invalidField(i === 0 ? ["spaceId"] : ["sharedWith", i - 1], `space ${JSON.stringify(s)} does not exist`);
      }
      await scoped(db).authz.require(actor, input.spaceId, "write", "creating a provider namespace");
      const at = now();
      const row: ProviderNamespacesTable = { id: input.id, space_id: input.spaceId, shared_with: JSON.stringify([...new Set(input.sharedWith)]), shipped: fromBool(false), created_at: at, updated_at: at };
      await inTransaction(db, async (trx) => {
        try {
          await trx.insertInto("provider_namespaces").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("provider namespace", row.id, ["id"]);
          throw err;
        }
        await recordAudit(trx, actor, { action: "provider_namespace.create", targetType: "provider_namespace", targetId: row.id, spaceId: row.space_id, payload: input });
      });
      return outNamespace(row);
    },

    async deleteNamespace(actor: Principal, id: string) {
      await inTransaction(db, async (trx) => {
        const row = await writable(actor, id, "deleting a provider namespace", trx);
        const held = await trx.selectFrom("provider_versions").select("type").where("namespace_id", "=", id).executeTakeFirst();
        if (held) throw conflict(`provider namespace ${JSON.stringify(id)} still holds provider ${held.type}: delete its providers first (gantry provider delete ${id}/${held.type})`);
        await trx.deleteFrom("provider_gpg_keys").where("namespace_id", "=", id).execute();
        await trx.deleteFrom("provider_namespaces").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "provider_namespace.delete", targetType: "provider_namespace", targetId: id, spaceId: row.space_id });
      });
    },

    async addKey(actor: Principal, id: string, asciiArmor: string) {
      const key = await readPublicKey(asciiArmor);
      const at = now();
      await inTransaction(db, async (trx) => {
        const row = await writable(actor, id, "adding a GPG key to a provider namespace", trx);
        if (await trx.selectFrom("provider_gpg_keys").select("key_id").where("namespace_id", "=", id).where("key_id", "=", key.keyId).executeTakeFirst()) {
          throw conflict(`key ${key.keyId} is already registered for provider namespace ${id}`);
        }
        await trx.insertInto("provider_gpg_keys").values({ namespace_id: id, key_id: key.keyId, fingerprint: key.fingerprint, ascii_armor: key.asciiArmor, created_at: at }).execute();
        await recordAudit(trx, actor, { action: "provider_namespace.key.add", targetType: "provider_namespace", targetId: id, spaceId: row.space_id, payload: { keyId: key.keyId, fingerprint: key.fingerprint } });
      });
      return { ...key, createdAt: at };
    },

    async deleteKey(actor: Principal, id: string, keyId: string) {
      await inTransaction(db, async (trx) => {
        const row = await writable(actor, id, "removing a GPG key from a provider namespace", trx);
        const k = keyId.toUpperCase();
        if (!(await trx.selectFrom("provider_gpg_keys").select("key_id").where("namespace_id", "=", id).where("key_id", "=", k).executeTakeFirst())) throw notFound("GPG key", keyId);
        const used = await trx.selectFrom("provider_versions").select(["type", "version"]).where("namespace_id", "=", id).where("key_id", "=", k).executeTakeFirst();
        if (used) throw conflict(`key ${k} signed ${id}/${used.type} ${used.version}, and terraform checks that signature with it on every download: delete the versions it signed first`);
        await trx.deleteFrom("provider_gpg_keys").where("namespace_id", "=", id).where("key_id", "=", k).execute();
        await recordAudit(trx, actor, { action: "provider_namespace.key.delete", targetType: "provider_namespace", targetId: id, spaceId: row.space_id, payload: { keyId: k } });
      });
    },

    async listProviders(actor: Principal): Promise<{ items: Provider[] }> {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      const namespaces = (await db.selectFrom("provider_namespaces").selectAll().execute()).filter((r) => visible === "all" || r.shipped || namespaceSpaces(r).some((s) => visible.includes(s)));
      const byId = new Map(namespaces.map((n) => [n.id, n]));
      const rows = byId.size ? await db.selectFrom("provider_versions").select(["namespace_id", "type", "version", "yanked"]).where("namespace_id", "in", [...byId.keys()]).execute() : [];
      const grouped = new Map<string, { version: string; yanked: boolean }[]>();
      for (const r of rows) grouped.set(`${r.namespace_id}/${r.type}`, [...(grouped.get(`${r.namespace_id}/${r.type}`) ?? []), { version: r.version, yanked: toBool(r.yanked) }]);
      const items = [...grouped.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([address, versions]) => {
        const [namespace, type] = address.split("/") as [string, string];
        const ns = byId.get(namespace)!;
        // Shipped providers are written under their own address (gantry.dev/sim/aws, spacelift-io/spacelift).
        const shipped = toBool(ns.shipped) ? SHIPPED_PROVIDERS.find((p) => p.source.endsWith(`/${address}`)) : undefined;
        return { namespace, type, spaceId: ns.space_id, latestVersion: semver.rsort(versions.filter((v) => !v.yanked).map((v) => v.version))[0] ?? null, versions: versions.length, source: shipped?.source ?? `${deps.registry.host}/${address}` };
      });
      return { items };
    },

    async versions(actor: Principal, id: string, type: string) {
      await readable(actor, id);
      const rows = await db.selectFrom("provider_versions").selectAll().where("namespace_id", "=", id).where("type", "=", type).execute();
      if (rows.length === 0) throw notFound("provider", `${id}/${type}`);
      const sorted = rows.sort((a, b) => semver.rcompare(a.version, b.version));
      return { items: await Promise.all(sorted.map((v) => outVersion(db, v))) };
    },

    async publish(actor: Principal, id: string, type: string, input: z.output<typeof PublishProviderVersion>) {
      const ns = await writable(actor, id, "publishing a provider version");
      const archives = input.archives.map((a) => ({ filename: a.filename, content: Buffer.from(a.contentBase64, "base64") }));
      return storeVersion(actor, ns, type, { version: input.version, protocols: input.protocols, shasums: input.shasums, shasumsSignature: Buffer.from(input.shasumsSignature, "base64"), archives });
    },

    /**
     * Yanking hides a version from terraform (the providers.v1 versions list, the mirror's
     * index.json) so no fresh constraint picks it; its packages stay downloadable by exact
     * version, so lock files that pin it keep installing. Unyanking offers it again.
     */
    async setVersionYanked(actor: Principal, id: string, type: string, version: string, yanked: boolean) {
      return inTransaction(db, async (trx) => {
        const ns = await writable(actor, id, yanked ? "yanking a provider version" : "unyanking a provider version", trx);
        const row = await trx.selectFrom("provider_versions").selectAll().where("namespace_id", "=", id).where("type", "=", type).where("version", "=", version).executeTakeFirst();
        if (!row) throw notFound("provider version", `${id}/${type} ${version}`);
        if (toBool(row.yanked) !== yanked) {
          await trx.updateTable("provider_versions").set({ yanked: fromBool(yanked) }).where("id", "=", row.id).execute();
          await recordAudit(trx, actor, { action: yanked ? "provider.version.yank" : "provider.version.unyank", targetType: "provider", targetId: `${id}/${type}`, spaceId: ns.space_id, payload: { version } });
        }
        return outVersion(trx, { ...row, yanked: fromBool(yanked) });
      });
    },

    async deleteVersion(actor: Principal, id: string, type: string, version: string) {
      await inTransaction(db, async (trx) => {
        const ns = await writable(actor, id, "deleting a provider version", trx);
        const row = await trx.selectFrom("provider_versions").selectAll().where("namespace_id", "=", id).where("type", "=", type).where("version", "=", version).executeTakeFirst();
        if (!row) throw notFound("provider version", `${id}/${type} ${version}`);
        await dropVersions(trx, [row]);
        await recordAudit(trx, actor, { action: "provider.version.delete", targetType: "provider", targetId: `${id}/${type}`, spaceId: ns.space_id, payload: { version } });
      });
    },

    async deleteProvider(actor: Principal, id: string, type: string) {
      await inTransaction(db, async (trx) => {
        const ns = await writable(actor, id, "deleting a provider", trx);
        const rows = await trx.selectFrom("provider_versions").selectAll().where("namespace_id", "=", id).where("type", "=", type).execute();
        if (rows.length === 0) throw notFound("provider", `${id}/${type}`);
        await dropVersions(trx, rows);
        await recordAudit(trx, actor, { action: "provider.delete", targetType: "provider", targetId: `${id}/${type}`, spaceId: ns.space_id, payload: { versions: rows.map((r) => r.version) } });
      });
    },
  };
}

export type ProviderService = ReturnType<typeof providerService>;
