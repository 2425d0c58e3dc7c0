import type { CreateWebhook, Delivery, UpdateWebhook, Webhook } from "@gantry/contract";
import { ulid } from "ulid";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import { sha256Hex } from "../crypto/secret-box.js";
import type { Db } from "../db/connect.js";
import { constraintKind, now } from "../db/rows.js";
import type { WebhooksTable } from "../db/schema.js";
import { alreadyExists, invalidField, notFound } from "../errors.js";
import { pageOf } from "../pagination.js";
import { slugify } from "../slug.js";
import { deliveryFromRows, webhookFromRow, webhookSecretContext } from "./rows.js";

export async function loadWebhook(db: Db, id: string): Promise<WebhooksTable> {
  const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("webhook", id);
  return row;
}

/** The secret's raw bytes, as sent (`secret` as UTF-8 text, `secretBase64` as bytes). */
function secretBytes(input: { secret?: string; secretBase64?: string }): Buffer | undefined {
  if (input.secret !== undefined) return Buffer.from(input.secret, "utf8");
  if (input.secretBase64 !== undefined) return Buffer.from(input.secretBase64, "base64");
  return undefined;
}

const checksumOf = (secret: Buffer) => sha256Hex(secret).slice(0, 16);
const auditSafe = (input: Record<string, unknown>) => ({ ...input, secret: undefined, secretBase64: undefined, secretSet: input.secret !== undefined || input.secretBase64 !== undefined });

/** Webhook endpoints: read with `read` in their space, managed with `admin`; the secret is write-only. */
export function webhookService(core: Core, opts: { wakeDeliverer(): void }) {
  const { db, box } = core;

  async function deliveriesWithAttempts(trx: Db, rows: { id: string }[]) {
    if (rows.length === 0) return new Map<string, never[]>();
    const attempts = await trx.selectFrom("notification_delivery_attempts").selectAll().where("delivery_id", "in", rows.map((r) => r.id)).orderBy("id").execute();
    const by = new Map<string, typeof attempts>();
    for (const a of attempts) by.set(a.delivery_id, [...(by.get(a.delivery_id) ?? []), a]);
    return by;
  }

  return {
    async list(actor: Principal, q: { limit: number; cursor?: string }) {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [], nextCursor: null };
      let query = db.selectFrom("webhooks").selectAll().orderBy("id").limit(q.limit + 1);
      if (visible !== "all") query = query.where("space_id", "in", visible);
      if (q.cursor) query = query.where("id", ">", q.cursor);
      return pageOf((await query.execute()).map(webhookFromRow), q.limit);
    },

    async get(actor: Principal, id: string): Promise<Webhook> {
      const row = await loadWebhook(db, id);
      await scoped(db).authz.require(actor, row.space_id, "read", "reading a webhook");
      return webhookFromRow(row);
    },

    async create(actor: Principal, input: z.output<typeof CreateWebhook>): Promise<Webhook> {
      return inTransaction(db, async (trx) => {
        let spaceId = input.spaceId ?? "root";
        if (input.stackId) {
          const stack = await trx.selectFrom("stacks").select(["id", "space_id"]).where("id", "=", input.stackId).executeTakeFirst();
          if (!stack) throw invalidField(["stackId"], `stack ${JSON.stringify(input.stackId)} does not exist`);
          if (input.spaceId && input.spaceId !== stack.space_id) throw invalidField(["spaceId"], `a stack's webhook lives in the stack's space (${stack.space_id}): leave spaceId out`);
          spaceId = stack.space_id;
        } else {
          const space = await trx.selectFrom("spaces").select("id").where("id", "=", spaceId).executeTakeFirst();
          if (!space) throw invalidField(["spaceId"], `space ${JSON.stringify(spaceId)} does not exist`);
        }
        await scoped(trx).authz.require(actor, spaceId, "admin", "creating a webhook");
        const id = input.id ?? slugify(input.name);
        const secret = secretBytes(input);
        const at = now();
        const row: WebhooksTable = {
          id, name: input.name, space_id: spaceId, stack_id: input.stackId ?? null, endpoint: input.endpoint, enabled: input.enabled ? 1 : 0,
          labels: JSON.stringify([...new Set(input.labels)]),
          secret_encrypted: secret ? box.encrypt(secret, webhookSecretContext(id)) : null, secret_checksum: secret ? checksumOf(secret) : null,
          created_at: at, updated_at: at,
        };
        try {
          await trx.insertInto("webhooks").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("webhook", id, input.id ? ["id"] : ["name"]);
          throw err;
        }
        await recordAudit(trx, actor, { action: "webhook.create", targetType: "webhook", targetId: id, spaceId, payload: auditSafe(input) });
        return webhookFromRow(row);
      });
    },

    async update(actor: Principal, id: string, input: z.output<typeof UpdateWebhook>): Promise<Webhook> {
      return inTransaction(db, async (trx) => {
        const row = await loadWebhook(trx, id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "changing a webhook");
        const secret = secretBytes(input);
        const next: WebhooksTable = {
          ...row,
          name: input.name ?? row.name,
          endpoint: input.endpoint ?? row.endpoint,
          enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
          labels: input.labels ? JSON.stringify([...new Set(input.labels)]) : row.labels,
          ...(secret ? { secret_encrypted: box.encrypt(secret, webhookSecretContext(id)), secret_checksum: checksumOf(secret) } : {}),
          updated_at: now(),
        };
        await trx.updateTable("webhooks").set(next).where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "webhook.update", targetType: "webhook", targetId: id, spaceId: row.space_id, payload: auditSafe(input) });
        return webhookFromRow(next);
      });
    },

    async delete(actor: Principal, id: string): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await loadWebhook(trx, id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "deleting a webhook");
        await trx.deleteFrom("notification_deliveries").where("target_kind", "=", "webhook").where("target_id", "=", id).execute();
        await trx.deleteFrom("webhooks").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "webhook.delete", targetType: "webhook", targetId: id, spaceId: row.space_id });
      });
    },

    async deliveries(actor: Principal, id: string, q: { limit: number; cursor?: string }) {
      const row = await loadWebhook(db, id);
      await scoped(db).authz.require(actor, row.space_id, "read", "reading a webhook's deliveries");
      let query = db.selectFrom("notification_deliveries").selectAll().where("target_kind", "=", "webhook").where("target_id", "=", id).orderBy("id", "desc").limit(q.limit + 1);
      if (q.cursor) query = query.where("id", "<", q.cursor);
      const rows = await query.execute();
      const attempts = await deliveriesWithAttempts(db, rows);
      return pageOf(rows.map((d) => deliveryFromRows(d, attempts.get(d.id) ?? [])), q.limit);
    },

    /** A new delivery of the same payload (the old one keeps its history), due at once. */
    async redeliver(actor: Principal, id: string, deliveryId: string): Promise<Delivery> {
      const created = await inTransaction(db, async (trx) => {
        const hook = await loadWebhook(trx, id);
        await scoped(trx).authz.require(actor, hook.space_id, "admin", "redelivering to a webhook");
        const old = await trx.selectFrom("notification_deliveries").selectAll().where("id", "=", deliveryId).where("target_kind", "=", "webhook").where("target_id", "=", id).executeTakeFirst();
        if (!old) throw notFound(`delivery of webhook ${JSON.stringify(id)}`, deliveryId);
        const at = now();
        const row = { ...old, id: ulid(), status: "PENDING", attempts: 0, next_attempt_at: at, created_at: at, finished_at: null };
        await trx.insertInto("notification_deliveries").values(row).execute();
        await recordAudit(trx, actor, { action: "webhook.redeliver", targetType: "webhook", targetId: id, spaceId: hook.space_id, payload: { deliveryId, newDeliveryId: row.id } });
        return row;
      });
      opts.wakeDeliverer();
      return deliveryFromRows(created, []);
    },
  };
}

export type WebhookService = ReturnType<typeof webhookService>;
