import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { IdParams, Timestamp } from "./schemas/common.js";

export const RegistryToken = z.object({
  id: z.string(),
  userId: z.string(),
  description: z.string().describe("how it was made, e.g. `terraform login (Terraform/1.11.4)`"),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable().describe("to the minute"),
});
export type RegistryToken = z.infer<typeof RegistryToken>;

const authenticated = { kind: "authenticated" } as const;

/** People's registry tokens (from `terraform login`): listed and revoked by their owner (or a root admin). */
export const registryTokenEndpoints = {
  listRegistryTokens: endpoint({ method: "GET", path: "/api/v1/registry-tokens", tag: "registry", summary: "the caller's registry tokens from terraform login (every person's for a root admin); never their secrets", access: authenticated, response: z.object({ items: z.array(RegistryToken) }) }),
  deleteRegistryToken: endpoint({ method: "DELETE", path: "/api/v1/registry-tokens/{id}", tag: "registry", summary: "revoke a registry token (the caller's own; any for a root admin)", access: authenticated, params: IdParams, response: null, status: 204 }),
};
