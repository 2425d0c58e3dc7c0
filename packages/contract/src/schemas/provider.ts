import { z } from "zod";
import { Timestamp } from "./common.js";

/** A provider namespace: letters, digits and '-' as Terraform's provider addresses accept, lowercase. */
export const ProviderNamespaceId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "must be a provider namespace: lowercase letters, digits and '-', starting and ending with a letter or digit");
/** A provider type (`aws`, `random`): what follows `terraform-provider-` in its file names. */
export const ProviderType = z.string().min(1).max(64).regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "must be a provider type: lowercase letters, digits and '-' (aws, random, my-tool)");
const SemVer = z.string().max(128).regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, "must be a semantic version such as 1.2.3 (no leading v)");

export const ProviderGpgKey = z.object({
  keyId: z.string().describe("the key's 16-hex-digit id, as in `gpg --list-keys --keyid-format long`"),
  fingerprint: z.string(),
  asciiArmor: z.string().describe("the public key, ASCII-armored (public by nature)"),
  createdAt: Timestamp,
});
export type ProviderGpgKey = z.infer<typeof ProviderGpgKey>;

export const ProviderNamespace = z.object({
  id: z.string(),
  spaceId: z.string(),
  sharedWith: z.array(z.string()),
  shipped: z.boolean().describe("published by Gantry itself at start-up (its own provider, the AWS simulator): every stack and person may read it"),
  keys: z.array(ProviderGpgKey),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ProviderNamespace = z.infer<typeof ProviderNamespace>;

export const CreateProviderNamespace = z.strictObject({
  id: ProviderNamespaceId,
  spaceId: z.string().min(1).default("root"),
  sharedWith: z.array(z.string().min(1)).max(100).default([]),
});
export const AddProviderGpgKey = z.strictObject({
  asciiArmor: z.string().min(1).max(64 * 1024).describe("`gpg --armor --export <key id>`"),
});
export const ProviderGpgKeyParams = z.strictObject({ id: z.string().min(1), keyId: z.string().min(1) });

export const ProviderPlatform = z.object({ os: z.string(), arch: z.string(), filename: z.string(), size: z.number(), sha256: z.string(), h1: z.string() });
export const ProviderVersion = z.object({
  namespace: z.string(),
  type: z.string(),
  version: z.string(),
  protocols: z.array(z.string()),
  keyId: z.string().describe("the namespace key the SHA256SUMS signature verified with"),
  yanked: z.boolean().describe("left out of terraform's version lists (providers.v1, the mirror's index.json); still downloadable by exact version for lock files that pin it"),
  platforms: z.array(ProviderPlatform),
  createdAt: Timestamp,
});
export type ProviderVersion = z.infer<typeof ProviderVersion>;

export const Provider = z.object({
  namespace: z.string(),
  type: z.string(),
  spaceId: z.string(),
  latestVersion: z.string().nullable().describe("the newest version that is not yanked"),
  versions: z.number(),
  source: z.string().describe("the address for `required_providers` on the registry host (`<host>/<namespace>/<type>`)"),
});
export type Provider = z.infer<typeof Provider>;

export const ProviderParams = z.strictObject({ id: z.string().min(1), type: z.string().min(1) });
export const UpdateProviderVersion = z.strictObject({
  yanked: z.boolean().describe("true hides the version from terraform's version lists (exact pins still download); false offers it again"),
});
export const ProviderVersionParams = z.strictObject({ id: z.string().min(1), type: z.string().min(1), version: z.string().min(1) });

/** Largest total size of a publish request's zips (before base64). */
export const PROVIDER_PUBLISH_MAX_BYTES = 192 * 1024 * 1024;

export const PublishProviderVersion = z.strictObject({
  version: SemVer,
  protocols: z.array(z.enum(["5.0", "6.0"])).min(1).default(["5.0"]).describe("plugin protocol versions the builds speak (terraform checks them before downloading)"),
  shasums: z.string().min(1).max(1024 * 1024).describe("the SHA256SUMS file's text: `<sha256>  <filename>` per line"),
  shasumsSignature: z.base64("must be base64-encoded").min(1).max(64 * 1024).describe("base64 of the detached GPG signature of SHA256SUMS (binary or ASCII-armored)"),
  archives: z
    .array(z.strictObject({ filename: z.string().min(1).max(255), contentBase64: z.base64("must be base64-encoded") }))
    .min(1)
    .max(64)
    .describe("one zip per platform, named terraform-provider-<type>_<version>_<os>_<arch>.zip"),
});

export const ProviderPublishResult = z.object({ version: ProviderVersion, alreadyPublished: z.boolean() });
