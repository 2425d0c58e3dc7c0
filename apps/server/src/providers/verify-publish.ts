import { createHash } from "node:crypto";
import { invalidField } from "../errors.js";
import type { PublicKey } from "./gpg.js";
import { verifyDetached } from "./gpg.js";
import { packageHashH1, parseShasums, readZip } from "./package-hash.js";

/** What a publish uploads: the builds, SHA256SUMS and its detached signature. */
export interface ProviderUpload {
  version: string;
  shasums: string;
  shasumsSignature: Uint8Array;
  archives: { filename: string; content: Uint8Array }[];
}

/** One platform's build, checked and ready to store. */
export interface VerifiedPackage { os: string; arch: string; filename: string; content: Uint8Array; sha256: string; h1: string }

const REDO_SUMS = "regenerate SHA256SUMS over the zips you upload (`sha256sum *.zip > SHA256SUMS`) and sign it again (`gpg --detach-sign SHA256SUMS`)";

/**
 * Checks an upload as terraform will check what it downloads, so nothing is stored that
 * `terraform init` would refuse: each zip is named for this provider and version, is a zip with
 * the provider's executable, and matches its SHA256SUMS line; SHA256SUMS is signed by one of the
 * namespace's registered keys. Every refusal names the file and what to do.
 */
export async function verifyProviderUpload(namespace: string, type: string, upload: ProviderUpload, keys: PublicKey[]): Promise<{ keyId: string; packages: VerifiedPackage[] }> {
  const sums = parseShasums(upload.shasums);
  if ("refused" in sums) throw invalidField(["shasums"], `SHA256SUMS line ${sums.line} ${sums.refused}: ${REDO_SUMS}`);
  const pattern = new RegExp(`^terraform-provider-${type.replace(/[-]/g, "\\-")}_${upload.version.replace(/[.+]/g, "\\$&")}_([a-z0-9]+)_([a-z0-9]+)\\.zip$`);
  const packages: VerifiedPackage[] = [];
  const platforms = new Set<string>();
  for (const [i, a] of upload.archives.entries()) {
    const at = ["archives", i, "filename"];
    const m = pattern.exec(a.filename);
    if (!m) throw invalidField(at, `${a.filename} is not named terraform-provider-${type}_${upload.version}_<os>_<arch>.zip: name each build for the provider, version and platform it is for`);
    const [os, arch] = [m[1]!, m[2]!];
    if (platforms.has(`${os}_${arch}`)) throw invalidField(at, `${a.filename}: a second build for ${os}_${arch}: upload one zip per platform`);
    platforms.add(`${os}_${arch}`);
    const sha256 = createHash("sha256").update(a.content).digest("hex");
    const listed = sums.get(a.filename);
    if (!listed) throw invalidField(at, `${a.filename} is not listed in SHA256SUMS: ${REDO_SUMS}`);
    if (listed !== sha256) throw invalidField(at, `${a.filename} does not match its checksum: its SHA-256 is ${sha256}, SHA256SUMS says ${listed}; the file was changed or truncated after SHA256SUMS was made: upload the right file, or ${REDO_SUMS}`);
    const files = readZip(a.content);
    if ("refused" in files) throw invalidField(at, `${a.filename} ${files.refused}: build it with \`zip\` as terraform expects`);
    if (!Object.keys(files).some((n) => !n.includes("/") && n.startsWith(`terraform-provider-${type}`))) {
      throw invalidField(at, `${a.filename} holds no executable named terraform-provider-${type}* at its top: terraform would not find the provider in it; zip the binary itself, not its directory`);
    }
    packages.push({ os, arch, filename: a.filename, content: a.content, sha256, h1: packageHashH1(files) });
  }
  const signed = await verifyDetached(Buffer.from(upload.shasums, "utf8"), upload.shasumsSignature, keys);
  if ("refused" in signed) {
    throw invalidField(["shasumsSignature"], `the signature of SHA256SUMS (SHA256SUMS.sig) ${signed.refused}: sign SHA256SUMS with a key registered for namespace ${namespace} (\`gpg --detach-sign SHA256SUMS\`), or register your key with \`gantry provider key add ${namespace} --file key.asc\``);
  }
  return { keyId: signed.keyId, packages };
}
