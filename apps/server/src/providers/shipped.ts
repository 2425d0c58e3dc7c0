import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { providerSourceParts, SHIPPED_PROVIDERS, type ShippedProvider } from "@gantry/contract";
import { zipSync } from "fflate";
import type { Logger } from "pino";
import semver from "semver";
import type { Principal } from "../auth/principal.js";
import type { Core } from "../core.js";
import { constraintKind, fromBool, now, toBool } from "../db/rows.js";
import type { BlobStore } from "../runs/blob-store.js";
import { generateSigningKey, publicKeyOf, readPublicKey, signDetached, type PublicKey } from "./gpg.js";
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
async function signingKey(core: Core, blobs: BlobStore): Promise<{ privateKey: string; key: PublicKey }> {
  const stored = await blobs.latest(core.db, SIGNING_KEY_BLOB.ownerType, SIGNING_KEY_BLOB.ownerId, SIGNING_KEY_BLOB.kind);
  let privateKey = stored?.toString("utf8");
  if (!privateKey) {
    privateKey = (await generateSigningKey("Gantry shipped providers")).privateKey;
    await blobs.put(core.db, SIGNING_KEY_BLOB.ownerType, SIGNING_KEY_BLOB.ownerId, SIGNING_KEY_BLOB.kind, Buffer.from(privateKey, "utf8"));
  }
  return { privateKey, key: await readPublicKey(await publicKeyOf(privateKey)) };
}

/** One version of a shipped build on disk: its binaries per platform. */
interface BuiltVersion { version: string; binaries: { platform: string; path: string }[] }

/** The versions built under `<mirror>/<build>`, each with the binaries of the platforms it was built for. */
function builtVersions(dir: string, p: ShippedProvider): BuiltVersion[] {
  const buildDir = join(dir, ...p.build.split("/"));
  const buildType = p.build.split("/").at(-1)!;
  if (!existsSync(buildDir)) return [];
  return readdirSync(buildDir).filter((v) => semver.valid(v)).map((version) => ({
    version,
    binaries: readdirSync(join(buildDir, version)).sort()
      .map((platform) => ({ platform, path: join(buildDir, version, platform, `terraform-provider-${buildType}_v${version}`) }))
      .filter((b) => existsSync(b.path)),
  })).filter((v) => v.binaries.length > 0);
}

/**
 * A fingerprint of a build that costs one stat per binary: its address, protocols, and each
 * platform's size and modification time. A rebuild changes the time, so the bytes are read and
 * compared again then (and only then).
 */
export function buildFingerprint(p: ShippedProvider, v: BuiltVersion): string {
  const files = v.binaries.map((b) => {
    const s = statSync(b.path);
    return `${b.platform}:${s.size}:${Math.trunc(s.mtimeMs)}`;
  });
  return createHash("sha256").update(JSON.stringify([p.source, v.version, p.protocols, files])).digest("hex");
}

/**
 * Publishes the providers Gantry ships (SHIPPED_PROVIDERS) from the built filesystem mirror into
 * the provider registry, so any stack installs them with a plain `required_providers` block.
 * A build whose fingerprint (sizes and times, see buildFingerprint) is already recorded on its
 * published version is skipped without reading it, so a restart costs a few stats and queries.
 * Otherwise: an unchanged build is already published; a rebuilt one under the same version
 * replaces it (the binary on disk is the truth for Gantry's own providers). Each namespace is a
 * shipped namespace in `root`, readable by every stack, with Gantry's public key registered; a
 * namespace of the same name that people made themselves is never taken over.
 */
export async function publishShippedProviders(core: Core, providers: ProviderService, blobs: BlobStore, mirrorDir: string | undefined, log: Logger): Promise<string[]> {
  const started = performance.now();
  const dir = mirrorDir ?? defaultShippedProvidersDir();
  if (!dir || !existsSync(dir)) {
    log.warn({ dir }, "shipped providers: no built provider mirror found, so Gantry's provider and the AWS simulator are not in the registry (build them with `npm run build`, or set GANTRY_SHIPPED_PROVIDERS_DIR); workers fall back to their filesystem mirror");
    return [];
  }
  const { db } = core;
  let signer: ReturnType<typeof signingKey> | undefined;
  /** Zips by binary path: two names for one build (spacelift-io/hashicorp) zip it once. */
  const zips = new Map<string, Uint8Array>();
  const published: string[] = [];
  let skipped = 0;
  for (const p of SHIPPED_PROVIDERS) {
    const { namespace, type } = providerSourceParts(p.source);
    const versions = builtVersions(dir, p);
    if (versions.length === 0) {
      log.warn({ source: p.source, build: join(dir, p.build) }, "shipped providers: this provider is not built, so it is not in the registry");
      continue;
    }
    let ns: Awaited<ReturnType<ProviderService["loadNamespace"]>> | undefined;
    for (const v of versions) {
      const fingerprint = buildFingerprint(p, v);
      const existing = await db.selectFrom("provider_versions").selectAll().where("namespace_id", "=", namespace).where("type", "=", type).where("version", "=", v.version).executeTakeFirst();
      if (existing?.build_fingerprint === fingerprint) {
        skipped++;
        continue;
      }
      signer ??= signingKey(core, blobs);
      const { privateKey, key } = await signer;
      if (!ns) {
        const at = now();
        await db.insertInto("provider_namespaces").values({ id: namespace, space_id: "root", shared_with: "[]", shipped: fromBool(true), created_at: at, updated_at: at })
          .onConflict((oc) => oc.column("id").doNothing()).execute();
        ns = await providers.loadNamespace(namespace);
        if (!toBool(ns.shipped)) {
          log.warn({ source: p.source, namespace, spaceId: ns.space_id }, "shipped providers: a provider namespace of this name was made by people, so Gantry does not publish this provider into it (its providers stay private to its space); rename that namespace to get the shipped provider");
          break;
        }
        await db.insertInto("provider_gpg_keys").values({ namespace_id: namespace, key_id: key.keyId, fingerprint: key.fingerprint, ascii_armor: key.asciiArmor, created_at: at })
          .onConflict((oc) => oc.columns(["namespace_id", "key_id"]).doNothing()).execute();
      }
      const archives = v.binaries.map((b) => {
        const content = zips.get(b.path) ?? providerZip(`terraform-provider-${type}_v${v.version}`, readFileSync(b.path));
        zips.set(b.path, content);
        return { filename: `terraform-provider-${type}_${v.version}_${b.platform}.zip`, content };
      });
      const shasums = archives.map((a) => `${createHash("sha256").update(a.content).digest("hex")}  ${a.filename}\n`).join("");
      if (existing && existing.shasums !== shasums) {
        log.info({ source: p.source, version: v.version }, "shipped providers: the build changed under the same version: replacing the published one");
        await db.transaction().execute((trx) => providers.dropVersions(trx, [existing]));
      }
      try {
        const signature = await signDetached(privateKey, Buffer.from(shasums, "utf8"));
        const r = await providers.storeVersion(startUp, ns, type, { version: v.version, protocols: p.protocols, shasums, shasumsSignature: signature, archives });
        if (!r.alreadyPublished) published.push(`${p.source} ${v.version}`);
      } catch (err) {
        // Another replica publishing the same build at the same moment.
        if (constraintKind(err) !== "unique" && !(err instanceof Error && err.message.includes("published meanwhile"))) throw err;
      }
      // Only a version holding exactly these bytes gets the fingerprint that lets restarts skip it.
      await db.updateTable("provider_versions").set({ build_fingerprint: fingerprint })
        .where("namespace_id", "=", namespace).where("type", "=", type).where("version", "=", v.version).where("shasums", "=", shasums).execute();
    }
  }
  const ms = Math.round((performance.now() - started) * 10) / 10;
  if (published.length) log.info({ published, ms }, "shipped providers published into the provider registry");
  log.debug({ ms, skipped, published: published.length }, `shipped providers: checked in ${ms} ms (${skipped} builds unchanged since they were published)`);
  return published;
}
