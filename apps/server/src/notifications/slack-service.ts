import type { CreateSlackIntegration, SlackIntegration } from "@gantry/contract";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import { sha256Hex } from "../crypto/secret-box.js";
import { constraintKind, now } from "../db/rows.js";
import type { SlackIntegrationsTable } from "../db/schema.js";
import { alreadyExists, invalidField, notFound } from "../errors.js";
import { slugify } from "../slug.js";
import { slackFromRow, slackSecretContext } from "./rows.js";

/** Slack integrations: a bot token or an incoming-webhook URL, both write-only and encrypted. */
export function slackService(core: Core) {
  const { db, box } = core;
  return {
    async list(actor: Principal) {
      const visible = await scoped(db).authz.spacesWith(actor, "read");
      if (visible !== "all" && visible.length === 0) return { items: [] };
      let query = db.selectFrom("slack_integrations").selectAll().orderBy("id");
      if (visible !== "all") query = query.where("space_id", "in", visible);
      return { items: (await query.execute()).map(slackFromRow) };
    },

    async create(actor: Principal, input: z.output<typeof CreateSlackIntegration>): Promise<SlackIntegration> {
      return inTransaction(db, async (trx) => {
        const space = await trx.selectFrom("spaces").select("id").where("id", "=", input.spaceId).executeTakeFirst();
        if (!space) throw invalidField(["spaceId"], `space ${JSON.stringify(input.spaceId)} does not exist`);
        await scoped(trx).authz.require(actor, input.spaceId, "admin", "creating a Slack integration");
        const id = input.id ?? slugify(input.name);
        const at = now();
        const row: SlackIntegrationsTable = {
          id, name: input.name, space_id: input.spaceId, api_base_url: input.apiBaseUrl.replace(/\/+$/, ""),
          bot_token_encrypted: input.botToken ? box.encrypt(input.botToken, slackSecretContext(id, "bot_token")) : null,
          bot_token_checksum: input.botToken ? sha256Hex(input.botToken).slice(0, 16) : null,
          webhook_url_encrypted: input.incomingWebhookUrl ? box.encrypt(input.incomingWebhookUrl, slackSecretContext(id, "webhook_url")) : null,
          created_at: at, updated_at: at,
        };
        try {
          await trx.insertInto("slack_integrations").values(row).execute();
        } catch (err) {
          if (constraintKind(err) === "unique") throw alreadyExists("Slack integration", id, input.id ? ["id"] : ["name"]);
          throw err;
        }
        await recordAudit(trx, actor, { action: "slack_integration.create", targetType: "slack_integration", targetId: id, spaceId: input.spaceId, payload: { name: input.name, apiBaseUrl: input.apiBaseUrl, botToken: input.botToken ? "[set]" : undefined, incomingWebhookUrl: input.incomingWebhookUrl ? "[set]" : undefined } });
        return slackFromRow(row);
      });
    },

    async delete(actor: Principal, id: string): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await trx.selectFrom("slack_integrations").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) throw notFound("Slack integration", id);
        await scoped(trx).authz.require(actor, row.space_id, "admin", "deleting a Slack integration");
        await trx.deleteFrom("notification_deliveries").where("target_kind", "=", "slack").where("target_id", "=", id).where("status", "=", "PENDING").execute();
        await trx.deleteFrom("slack_integrations").where("id", "=", id).execute();
        await recordAudit(trx, actor, { action: "slack_integration.delete", targetType: "slack_integration", targetId: id, spaceId: row.space_id });
      });
    },
  };
}
