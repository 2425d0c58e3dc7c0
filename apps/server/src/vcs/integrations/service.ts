import type { CreateVcsIntegration, UpdateVcsIntegration, VcsIntegration } from "@gantry/contract";
import type { z } from "zod";
import { recordAudit } from "../../audit/recorder.js";
import type { Principal } from "../../auth/principal.js";
import { inTransaction, scoped, type Core } from "../../core.js";
import { sha256Hex } from "../../crypto/secret-box.js";
import type { Db } from "../../db/connect.js";
import { constraintKind, now } from "../../db/rows.js";
import type { VcsIntegrationsTable } from "../../db/schema.js";
import { alreadyExists, conflict, invalidField, notFound } from "../../errors.js";
import { pageOf } from "../../pagination.js";
import { slugify } from "../../slug.js";
import { OutboundGuard } from "../../notifications/outbound-guard.js";
import { refuseInternalApiUrl } from "./api-url.js";
import { GITHUB_API, vcsIntegrationFromRow } from "./rows.js";

/** A checksum that tells two secrets apart without revealing either. */
const checksumOf = (secret: string) => sha256Hex(secret).slice(0, 16);

export async function loadVcsIntegration(db: Db, id: string): Promise<VcsIntegrationsTable> {
  const row = await db.selectFrom("vcs_integrations").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("VCS integration", id);
  return row;
}

/**
 * Refuses a stack's integration that does not exist or lies outside the stack's reach (its space
 * and the spaces above it that it inherits from), like every other entity a stack uses.
 */
export async function assertVcsIntegrationUsable(trx: Db, integrationId: string | null | undefined, stackSpaceId: string): Promise<void> {
  if (!integrationId) return;
  const row = await trx.selectFrom("vcs_integrations").select(["id", "space_id"]).where("id", "=", integrationId).executeTakeFirst();
  if (!row) throw invalidField(["vcsIntegrationId"], `VCS integration ${JSON.stringify(integrationId)} does not exist: create it first (gantry vcs integration create)`);
  const reach = await scoped(trx).tree.reachingSpaces(stackSpaceId);
  if (!reach.some((s) => s.id === row.space_id)) {
    throw invalidField(["vcsIntegrationId"], `VCS integration ${JSON.stringify(integrationId)} is in space ${row.space_id}, out of the stack's reach: use one from the stack's space or an inherited parent`);
  }
}

/** VCS integrations: read with `read` in their space, managed with `admin`; secrets are write-only. */
/** What an integration's secret is bound to when encrypted: the integration and which secret it is. */
export function integrationSecretContext(id: string, which: "token" | "webhook_secret"): string {
  return `vcs_integration:${id}:${which}`;
}

export function vcsIntegrationService(core: Core) {
  const { db, box } = core;
  // Without the configured guard (a service built for a test), nothing internal is admitted.
  const guard = core.outboundGuard ?? new OutboundGuard([]);

  return {
    async list(actor: Principal, q: { limit: number; cursor?: string }) {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [], nextCursor: null };
      let query = db.selectFrom("vcs_integrations").selectAll().orderBy("id").limit(q.limit + 1);
      if (visible !== "all") query = query.where("space_id", "in", visible);
      if (q.cursor) query = query.where("id", ">", q.cursor);
      return pageOf((await query.execute()).map(vcsIntegrationFromRow), q.limit);
    },

    async get(actor: Principal, id: string): Promise<VcsIntegration> {
      const row = await loadVcsIntegration(db, id);
      await scoped(db).authz.require(actor, row.space_id, "read", "reading a VCS integration");
      return vcsIntegrationFromRow(row);
    },

    async create(actor: Principal, input: z.output<typeof CreateVcsIntegration>): Promise<VcsIntegration> {
      if (input.apiBaseUrl) await refuseInternalApiUrl(guard, input.apiBaseUrl);
      return inTransaction(db, async (trx) => {
        const space = await trx.selectFrom("spaces").select("id").where("id", "=", input.spaceId).executeTakeFirst();
        if (!space) throw invalidField(["spaceId"], `space ${JSON.stringify(input.spaceId)} does not exist`);
        await scoped(trx).authz.require(actor, input.spaceId, "admin", "creating a VCS integration");
        const at = now();
        const github = input.provider === "GITHUB";
        const id = input.id ?? slugify(input.name);
        const row: VcsIntegrationsTable = {
          id, name: input.name, description: input.description, space_id: input.spaceId,
          labels: JSON.stringify([...new Set(input.labels)]), provider: input.provider,
          api_base_url: github ? (input.apiBaseUrl ?? GITHUB_API).replace(/\/+$/, "") : null,
          token_encrypted: input.token ? box.encrypt(input.token, integrationSecretContext(id, "token")) : null, token_checksum: input.token ? checksumOf(input.token) : null,
          webhook_secret_encrypted: input.webhookSecret ? box.encrypt(input.webhookSecret, integrationSecretContext(id, "webhook_secret")) : null, webhook_secret_checksum: input.webhookSecret ? checksumOf(input.webhookSecret) : null,
          created_at: at, updated_at: at,
        };
        try {
          await trx.insertInto("vcs_integrations").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("VCS integration", row.id, input.id ? ["id"] : ["name"]);
          throw err;
        }
        await recordAudit(trx, actor, { action: "vcs_integration.create", targetType: "vcs_integration", targetId: row.id, spaceId: row.space_id, payload: { ...input, token: input.token ? "[set]" : undefined, webhookSecret: input.webhookSecret ? "[set]" : undefined } });
        return vcsIntegrationFromRow(row);
      });
    },

    async update(actor: Principal, id: string, input: z.output<typeof UpdateVcsIntegration>): Promise<VcsIntegration> {
      return inTransaction(db, async (trx) => {
        const row = await loadVcsIntegration(trx, id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "changing a VCS integration");
        if (row.provider !== "GITHUB" && (input.token || input.webhookSecret || input.apiBaseUrl)) {
          throw invalidField(["provider"], "a RAW_GIT integration takes no token, webhook secret or API URL");
        }
        if (input.apiBaseUrl) await refuseInternalApiUrl(guard, input.apiBaseUrl);
        const next: VcsIntegrationsTable = {
          ...row,
          name: input.name ?? row.name,
          description: input.description ?? row.description,
          labels: input.labels ? JSON.stringify([...new Set(input.labels)]) : row.labels,
          api_base_url: input.apiBaseUrl ? input.apiBaseUrl.replace(/\/+$/, "") : row.api_base_url,
          ...(input.token ? { token_encrypted: box.encrypt(input.token, integrationSecretContext(row.id, "token")), token_checksum: checksumOf(input.token) } : {}),
          ...(input.webhookSecret ? { webhook_secret_encrypted: box.encrypt(input.webhookSecret, integrationSecretContext(row.id, "webhook_secret")), webhook_secret_checksum: checksumOf(input.webhookSecret) } : {}),
          updated_at: now(),
        };
        await trx.updateTable("vcs_integrations").set(next).where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "vcs_integration.update", targetType: "vcs_integration", targetId: id, spaceId: row.space_id, payload: { ...input, token: input.token ? "[set]" : undefined, webhookSecret: input.webhookSecret ? "[set]" : undefined } });
        return vcsIntegrationFromRow(next);
      });
    },

    async delete(actor: Principal, id: string): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await loadVcsIntegration(trx, id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "deleting a VCS integration");
        const user = await trx.selectFrom("stacks").select("id").where("vcs_integration_id", "=", id).executeTakeFirst();
        if (user) throw conflict(`VCS integration ${JSON.stringify(id)} is used by stack ${user.id}: point the stacks elsewhere first`);
        await trx.deleteFrom("vcs_integrations").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "vcs_integration.delete", targetType: "vcs_integration", targetId: id, spaceId: row.space_id });
      });
    },
  };
}

export type VcsIntegrationService = ReturnType<typeof vcsIntegrationService>;
