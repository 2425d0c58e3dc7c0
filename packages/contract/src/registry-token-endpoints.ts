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

export const CreateRegistryToken = z.strictObject({
  description: z.string().trim().min(1, "must say what the token is for, e.g. laptop terraform").max(200).describe("what the token is for, e.g. `CI terraform`"),
});
export type CreateRegistryToken = z.input<typeof CreateRegistryToken>;

/** The token is in this answer only; Gantry keeps its SHA-256. */
export const CreatedRegistryToken = z.object({ token: RegistryToken, secret: z.string().describe("`grt_...`: put it in the CLI config's `credentials \"<host>\"` block") });
export type CreatedRegistryToken = z.infer<typeof CreatedRegistryToken>;

const authenticated = { kind: "authenticated" } as const;

/** People's registry tokens (from `terraform login`, or made by hand): listed and revoked by their owner (or a root admin). */
export const registryTokenEndpoints = {
  listRegistryTokens: endpoint({ method: "GET", path: "/api/v1/registry-tokens", tag: "registry", summary: "the caller's registry tokens from terraform login (every person's for a root admin); never their secrets", access: authenticated, response: z.object({ items: z.array(RegistryToken) }) }),
  createRegistryToken: endpoint({ method: "POST", path: "/api/v1/registry-tokens", tag: "registry", summary: "make a registry token for the caller (what terraform login makes, for a CLI config by hand); it reads only the registry with the caller's roles, expires in 90 days, and is shown once", access: authenticated, body: CreateRegistryToken, response: CreatedRegistryToken, status: 201 }),
  deleteRegistryToken: endpoint({ method: "DELETE", path: "/api/v1/registry-tokens/{id}", tag: "registry", summary: "revoke a registry token (the caller's own; any for a root admin)", access: authenticated, params: IdParams, response: null, status: 204 }),
};
