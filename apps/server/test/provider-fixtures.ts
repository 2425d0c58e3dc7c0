/** Provider builds, SHA256SUMS and GPG signatures made the way a provider author makes them. */
import { createHash } from "node:crypto";
import { zipSync } from "fflate";
import * as openpgp from "openpgp";

export interface AuthorKey { publicKey: string; privateKey: string; keyId: string }

export async function authorKey(name: string): Promise<AuthorKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: "ecc", curve: "curve25519Legacy", userIDs: [{ name, email: `${name}@example.com` }], format: "armored" });
  const keyId = (await openpgp.readKey({ armoredKey: publicKey })).getKeyID().toHex().toUpperCase();
  return { privateKey, publicKey, keyId };
}

/** A zip holding an executable `terraform-provider-<type>_v<version>` (a shell script: init never runs it). */
export function providerBuild(type: string, version: string, body = "#!/bin/sh\nexit 1\n"): Uint8Array {
  return zipSync({ [`terraform-provider-${type}_v${version}`]: [new TextEncoder().encode(body), { os: 3, attrs: (0o100755 << 16) >>> 0, mtime: new Date("2020-01-01") }] });
}

export const shasumsOf = (files: { filename: string; content: Uint8Array }[]) => files.map((f) => `${createHash("sha256").update(f.content).digest("hex")}  ${f.filename}\n`).join("");

export async function sign(key: AuthorKey, text: string): Promise<string> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: key.privateKey });
  const sig = (await openpgp.sign({ message: await openpgp.createMessage({ binary: Buffer.from(text, "utf8") }), signingKeys, detached: true, format: "binary" })) as Uint8Array;
  return Buffer.from(sig).toString("base64");
}

/** A publish request body for `<type>` `<version>` with one linux_amd64 build, signed by `key`. */
export async function publishBody(key: AuthorKey, type: string, version: string, platforms = ["linux_amd64"]) {
  const archives = platforms.map((p) => ({ filename: `terraform-provider-${type}_${version}_${p}.zip`, content: providerBuild(type, version) }));
  const shasums = shasumsOf(archives);
  return { version, protocols: ["5.0" as const], shasums, shasumsSignature: await sign(key, shasums), archives: archives.map((a) => ({ filename: a.filename, contentBase64: Buffer.from(a.content).toString("base64") })) };
}
