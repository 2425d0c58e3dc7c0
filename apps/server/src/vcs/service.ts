import type { VcsNotify } from "@gantry/contract";
import type { z } from "zod";
import { ZodError } from "zod";
import type { Principal } from "../auth/principal.js";
import { stackAccess } from "../access/stack-access.js";
import { scoped } from "../core.js";
import { AppError, forbidden } from "../errors.js";
import { parseGithubEvent } from "./github/events.js";
import { verifyGithubSignature } from "./github/signature.js";
import { ingestVcsEvent, type IngestDeps, type IngestResult } from "./ingest.js";
import { integrationSecretContext, loadVcsIntegration } from "./integrations/service.js";
import { pushFromNotify } from "./notify-event.js";
import { stacksForEvent } from "./repository-match.js";

/** What the webhook answers: the HTTP status and a body saying what happened. */
export interface WebhookAnswer { status: number; body: { note: string; stacks?: IngestResult["stacks"] } }

/** The entry points of VCS events: the notify endpoint (hooks) and GitHub's webhook. */
export function vcsService(deps: IngestDeps) {
  const { db, box, log } = deps.engine.core;

  return {
    /** What ingestion needs, for the poller. */
    deps,

    /**
     * A push reported by a git hook. The caller needs write on at least one stack that uses the
     * repository (a hook runs with an API key of a person or machine user allowed to trigger runs).
     */
    async notify(actor: Principal, input: z.output<typeof VcsNotify>): Promise<IngestResult> {
      const stacks = await stacksForEvent(db, { source: "notify", integrationId: null, repository: input.repository });
      // Modules of the registry publish from pushes too.
      const modules = await db.selectFrom("modules").select("space_id").where("repository", "=", input.repository).execute();
      if (stacks.length === 0 && modules.length === 0) throw new AppError("not_found", `no stack or module uses repository ${JSON.stringify(input.repository)}: name it exactly as their repository setting does`);
      const access = stackAccess(deps.engine.core);
      let allowed = false;
      for (const s of stacks) {
        const { role } = await access.decide(db, actor, s);
        if ((allowed = role === "write" || role === "admin")) break;
      }
      const { authz } = scoped(db);
      for (const m of allowed ? [] : modules) {
        const role = await authz.roleIn(actor, m.space_id);
        if ((allowed = role === "write" || role === "admin")) break;
      }
      if (!allowed) throw forbidden(`reporting a push of ${input.repository} needs write on a stack or module that uses it`);
      return ingestVcsEvent(deps, { source: "notify", integrationId: null, event: pushFromNotify(input) });
    },

    /**
     * A GitHub webhook delivery: the signature is checked over the raw bytes with the
     * integration's secret before anything is parsed, so an unsigned request changes nothing.
     */
    async githubWebhook(integrationId: string, headers: { event?: string; signature?: string; delivery?: string }, raw: Buffer): Promise<WebhookAnswer> {
      const integration = await loadVcsIntegration(db, integrationId).catch(() => null);
      if (!integration || integration.provider !== "GITHUB") {
        log.warn({ integrationId, delivery: headers.delivery }, "github webhook refused: no such GitHub integration");
        return { status: 404, body: { note: `no GitHub integration ${JSON.stringify(integrationId)}: check the webhook URL` } };
      }
      const secret = integration.webhook_secret_encrypted ? box.decrypt(integration.webhook_secret_encrypted, integrationSecretContext(integration.id, "webhook_secret")).toString("utf8") : null;
      if (!secret || !verifyGithubSignature(secret, raw, headers.signature)) {
        log.warn({ integrationId, delivery: headers.delivery }, "github webhook refused: missing or wrong X-Hub-Signature-256");
        return { status: 401, body: { note: "missing or wrong X-Hub-Signature-256: set the webhook's secret to the integration's webhook secret" } };
      }
      if (!headers.event) return { status: 400, body: { note: "missing X-GitHub-Event header: this does not look like a GitHub webhook delivery" } };
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString("utf8"));
      } catch {
        log.warn({ integrationId, delivery: headers.delivery, event: headers.event }, "github webhook refused: the body is not valid JSON");
        return { status: 400, body: { note: "the body is not valid JSON: configure the webhook with content type application/json" } };
      }
      let event;
      try {
        event = parseGithubEvent(headers.event, payload);
      } catch (err) {
        const where = err instanceof ZodError ? err.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ") : (err as Error).message;
        log.warn({ integrationId, delivery: headers.delivery, event: headers.event }, `github webhook refused: malformed ${headers.event} payload: ${where}`);
        return { status: 400, body: { note: `malformed ${headers.event} payload: ${where}` } };
      }
      if (!event) return { status: 202, body: { note: `event ${headers.event} ignored: Gantry acts on push and pull_request` } };
      const result = await ingestVcsEvent(deps, { source: "github", integrationId, event });
      return { status: result.matched === 0 ? 202 : 200, body: { note: result.note, stacks: result.stacks } };
    },
  };
}

export type VcsService = ReturnType<typeof vcsService>;
