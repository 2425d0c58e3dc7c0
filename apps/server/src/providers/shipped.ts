import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { providerSourceParts, SHIPPED_PROVIDERS } from "@gantry/contract";
import { zipSync } from "fflate";
import type { Logger } from "pino";
import semver from "semver";
import type { Principal } from "../auth/principal.js";
import type { Core } from "../core.js";
import { constraintKind, fromBool, now } from "../db/rows.js";
import type { BlobStore } from "../runs/blob-store.js";
import { generateSigningKey, publicKeyOf, readPublicKey, signDetached } from "./gpg.js";
import type { ProviderService } from "./service.js";

/** Who publishes the shipped providers, in the audit trail. */
const startUp: Principal = { kind: "user", id: "system", name: "gantry start-up (shipped providers)", bindings: [{ spaceId: "root", role: "admin" }] };
/** Where Gantry keeps the private key it signs shipped providers with (encrypted, like every blob). */
const SIGNING_KEY_BLOB = { ownerType: "provider_signing_key", ownerId: "shipped", kind: "gpg" } as const;
/** Zip entries get this fixed time, so the same binary always gives the same zip (and hashes). */
const ZIP_TIME = new Date("1980-01-02T00:00:00Z");

/** The filesystem mirror `npm run build` lays out in the providers package, found through module resolution. */
export function defaultShippedProvidersDir(): string | undefined {
  try {
    const entry = realpathSync(createRequire(import.meta.url).resolve("@gantry/providers"));
    return join(dirname(entry), "..", "dist", "mirror");
  } catch {
    return undefined;
  }
}

/** A provider zip as terraform expects: the executable at the top, mode 0755 kept (Unix attributes). */
export function providerZip(binaryName: string, binary: Uint8Array): Uint8Array {
  return zipSync({ [binaryName]: [binary, { mtime: ZIP_TIME, os: 3, attrs: (0o100755 << 16) >>> 0, level: 6 }] });
}

/** Gantry's signing key for shipped providers: made once, kept encrypted in the blob store. */
async function signingKey(core: Core, blobs: BlobStore): Promise<string> {
  const stored = await blobs.latest(core.db, SIGNING_KEY_BLOB.ownerType, SIGNING_KEY_BLOB.ownerId, SIGNING_KEY_BLOB.kind);
  if (stored) return stored.toString("utf8");
  const { privateKey } = await generateSigningKey("Gantry shipped providers");
  await blobs.put(core.db, SIGNING_KEY_BLOB.ownerType, SIGNING_KEY_BLOB.ownerId, SIGNING_KEY_BLOB.kind, Buffer.from(privateKey, "utf8"));
  return privateKey;
}

/**
 * Publishes the providers Gantry ships (SHIPPED_PROVIDERS) from the built filesystem mirror into
 * the provider registry, so any stack installs them with a plain `required_providers` block.
 * Idempotent: an unchanged build is already published; a rebuilt one under the same version
 * replaces it (the binary on disk is the truth for Gantry's own providers). Each namespace is a
 * shipped namespace in `root`, readable by every stack, with Gantry's public key registered.
 */
export async function publishShippedProviders(core: Core, providers: ProviderService, blobs: BlobStore, mirrorDir: string | undefined, log: Logger): Promise<string[]> {
  const dir = mirrorDir ?? defaultShippedProvidersDir();
  if (!dir || !existsSync(dir)) {
    log.warn({ dir }, "shipped providers: no built provider mirror found, so Gantry's provider and the AWS simulator are not in the registry (build them with `npm run build`, or set GANTRY_SHIPPED_PROVIDERS_DIR); workers fall back to their filesystem mirror");
    return [];
  }
  const { db } = core;
  const privateKey = await signingKey(core, blobs);
  const key = await readPublicKey(await publicKeyOf(privateKey));
  const published: string[] = [];
  for (const p of SHIPPED_PROVIDERS) {
    const { namespace, type } = providerSourceParts(p.source);
    const buildDir = join(dir, "gantry.dev", ...p.build.split("/"));
    const buildType = p.build.split("/")[1]!;
    if (!existsSync(buildDir)) {
      log.warn({ source: p.source, buildDir }, "shipped providers: this provider is not built, so it is not in the registry");
      continue;
    }
    const at = now();
    await db.insertInto("provider_namespaces").values({ id: namespace, space_id: "root", shared_with: "[]", shipped: fromBool(true), created_at: at, updated_at: at })
      .onConflict((oc) => oc.column("id").doUpdateSet({ shipped: fromBool(true) })).execute();
    await db.insertInto("provider_gpg_keys").values({ namespace_id: namespace, key_id: key.keyId, fingerprint: key.fingerprint, ascii_armor: key.asciiArmor, created_at: at })
      .onConflict((oc) => oc.columns(["namespace_id", "key_id"]).doNothing()).execute();
    const ns = await providers.loadNamespace(namespace);
    for (const version of readdirSync(buildDir).filter((v) => semver.valid(v))) {
      const archives: { filename: string; content: Uint8Array }[] = [];
      for (const platform of readdirSync(join(buildDir, version))) {
        const binary = join(buildDir, version, platform, `terraform-provider-${buildType}_v${version}`);
        if (!existsSync(binary)) continue;
        archives.push({ filename: `terraform-provider-${type}_${version}_${platform}.zip`, content: providerZip(`terraform-provider-${type}_v${version}`, readFileSync(binary)) });
      }
      if (archives.length === 0) continue;
      const shasums = archives.map((a) => `${createHash("sha256").update(a.content).digest("hex")}  ${a.filename}\n`).join("");
      const existing = await db.selectFrom("provider_versions").selectAll().where("namespace_id", "=", namespace).where("type", "=", type).where("version", "=", version).executeTakeFirst();
      if (existing && existing.shasums !== shasums) {
        log.info({ source: p.source, version }, "shipped providers: the build changed under the same version: replacing the published one");
        await db.transaction().execute((trx) => providers.dropVersions(trx, [existing]));
      }
      try {
        const signature = await signDetached(privateKey, Buffer.from(shasums, "utf8"));
        const r = await providers.storeVersion(startUp, ns, type, { version, protocols: p.protocols, shasums, shasumsSignature: signature, archives });
        if (!r.alreadyPublished) published.push(`${p.source} ${version}`);
      } catch (err) {
        // Another replica publishing the same build at the same moment.
        if (constraintKind(err) !== "unique" && !(err instanceof Error && err.message.includes("published meanwhile"))) throw err;
      }
    }
  }
  if (published.length) log.info({ published }, "shipped providers published into the provider registry");
  return published;
}
