import type { buildApp } from "../http/app.js";
import type { ProtocolOperation } from "../http/openapi.js";
import type { VcsService } from "./service.js";

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * GitHub's webhook, `POST /webhooks/github/<integration id>`, outside the endpoint table: GitHub
 * signs instead of authenticating, and the signature covers the raw bytes, so the body is kept
 * as it arrived. Answers 401 for a missing or wrong signature, 400 for a malformed delivery, 404
 * for an unknown integration, 202 for events Gantry does not act on, 200 with what each stack did.
 */
export function mountGithubWebhook(app: ReturnType<typeof buildApp>, vcs: VcsService): void {
  void app.register(async (inst) => {
    inst.removeAllContentTypeParsers();
    inst.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 25 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    inst.post("/webhooks/github/:integrationId", { config: { auth: "signature" } }, async (req, reply) => {
      const { integrationId } = req.params as { integrationId: string };
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await vcs.githubWebhook(integrationId, {
        event: header(req.headers["x-github-event"]),
        signature: header(req.headers["x-hub-signature-256"]),
        delivery: header(req.headers["x-github-delivery"]),
      }, raw);
      return reply.status(answer.status).send(answer.body);
    });
  });
}

export const webhookOperations: ProtocolOperation[] = [
  {
    method: "post",
    path: "/webhooks/github/{integrationId}",
    operation: {
      operationId: "githubWebhook", tags: ["vcs"], summary: "GitHub delivers push and pull-request events, signed with the integration's webhook secret", security: [{ githubSignature: [] }],
      parameters: [{ name: "integrationId", in: "path", required: true, schema: { type: "string" } }],
      requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
      responses: { "200": { description: "what each stack did" }, "202": { description: "an event Gantry does not act on" } },
    },
  },
];
