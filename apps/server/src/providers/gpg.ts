import * as openpgp from "openpgp";
import { invalidField } from "../errors.js";

/** A namespace's public key as the registry stores and hands it to terraform. */
export interface PublicKey { keyId: string; fingerprint: string; asciiArmor: string }

/** Reads an ASCII-armored public key, refusing private keys and garbage with what to do. */
export async function readPublicKey(asciiArmor: string): Promise<PublicKey> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: asciiArmor });
  } catch (err) {
    throw invalidField(["asciiArmor"], `is not an ASCII-armored OpenPGP public key (${(err as Error).message}): export it with \`gpg --armor --export <key id>\``);
  }
  if (key.isPrivate()) throw invalidField(["asciiArmor"], "is a private key: register only the public half (`gpg --armor --export <key id>`), and keep the private key to yourself");
  return { keyId: key.getKeyID().toHex().toUpperCase(), fingerprint: key.getFingerprint().toUpperCase(), asciiArmor: key.armor() };
}

/** Reads a detached signature given as bytes, binary (`gpg --detach-sign`) or ASCII-armored (`--armor`). */
async function readSignature(signature: Uint8Array): Promise<openpgp.Signature> {
  const text = Buffer.from(signature).toString("utf8");
  if (text.includes("-----BEGIN PGP SIGNATURE-----")) return openpgp.readSignature({ armoredSignature: text });
  return openpgp.readSignature({ binarySignature: signature });
}

/**
 * The id of the key among `keys` whose valid signature `signature` is over `data`, or a reason
 * it verifies with none. Terraform checks the same signature again with the key the registry
 * names, so only a signature from a registered key is accepted.
 */
export async function verifyDetached(data: Uint8Array, signature: Uint8Array, keys: PublicKey[]): Promise<{ keyId: string } | { refused: string }> {
  let sig: openpgp.Signature;
  try {
    sig = await readSignature(signature);
  } catch (err) {
    return { refused: `is not an OpenPGP signature (${(err as Error).message})` };
  }
  if (keys.length === 0) return { refused: "cannot be checked: the namespace has no GPG key registered" };
  const verificationKeys = await Promise.all(keys.map((k) => openpgp.readKey({ armoredKey: k.asciiArmor })));
  const result = await openpgp.verify({ message: await openpgp.createMessage({ binary: data }), signature: sig, verificationKeys, format: "binary" });
  const signers = result.signatures.map((s) => s.keyID.toHex().toUpperCase());
  for (const s of result.signatures) {
    try {
      await s.verified;
      const signer = s.keyID.toHex().toUpperCase();
      // A subkey signature names the subkey; report the primary key it belongs to.
      const owner = verificationKeys.find((k) => k.getKeys(s.keyID).length > 0);
      return { keyId: owner ? owner.getKeyID().toHex().toUpperCase() : signer };
    } catch {
      // try the next signature
    }
  }
  const known = keys.map((k) => k.keyId).join(", ");
  return { refused: signers.some((id) => keys.some((k) => k.keyId === id)) ? `does not match the file's content (signed by ${signers.join(", ")}, but over other bytes)` : `was made by key ${signers.join(", ") || "(unknown)"}, which is not registered for the namespace (registered: ${known})` };
}

/** A new signing key pair (Ed25519), ASCII-armored: Gantry's own key for the providers it ships. */
export async function generateSigningKey(name: string): Promise<{ privateKey: string; publicKey: string }> {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: "ecc", curve: "curve25519Legacy", userIDs: [{ name, email: "providers@gantry.invalid" }], format: "armored" });
  return { privateKey, publicKey };
}

/** A detached binary signature of `data` with an armored private key. */
export async function signDetached(privateKeyArmored: string, data: Uint8Array): Promise<Uint8Array> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKeyArmored });
  return (await openpgp.sign({ message: await openpgp.createMessage({ binary: data }), signingKeys, detached: true, format: "binary" })) as Uint8Array;
}

/** The armored public half of an armored private key. */
export async function publicKeyOf(privateKeyArmored: string): Promise<string> {
  return (await openpgp.readPrivateKey({ armoredKey: privateKeyArmored })).toPublic().armor();
}
