import type { VcsIntegration, VcsProvider } from "@gantry/contract";
import { parseJson } from "../../db/rows.js";
import type { VcsIntegrationsTable } from "../../db/schema.js";

/** The integration as the API shows it: secrets only as checksums. */
export function vcsIntegrationFromRow(r: VcsIntegrationsTable): VcsIntegration {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    spaceId: r.space_id,
    labels: parseJson(r.labels),
    provider: r.provider as VcsProvider,
    apiBaseUrl: r.api_base_url,
    tokenChecksum: r.token_checksum,
    webhookSecretChecksum: r.webhook_secret_checksum,
    webhookPath: r.provider === "GITHUB" ? `/webhooks/github/${r.id}` : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** GitHub's public API; Enterprise Server integrations set their own `https://<host>/api/v3`. */
export const GITHUB_API = "https://api.github.com";
