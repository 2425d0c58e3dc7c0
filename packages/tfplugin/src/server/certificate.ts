import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { bitString, boolean, explicit, integer, octetString, oid, sequence, set, tlv, utcTime, utf8String } from "./der.js";

/** A freshly made certificate for one plugin process. */
export interface PluginCertificate {
  /** PEM certificate, for the TLS server. */
  readonly certPem: string;
  /** PEM PKCS#8 private key, for the TLS server. */
  readonly keyPem: string;
  /** DER certificate, base64 without padding: field 6 of the go-plugin handshake line. */
  readonly handshakeCert: string;
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

/**
 * Makes the self-signed certificate go-plugin's AutoMTLS expects from a plugin: ECDSA P-256,
 * SAN `localhost` (the name Terraform verifies), usable for server and client auth, and a CA
 * so Terraform can pin it as its own root. Built by hand because Node has no X.509 writer and
 * a library for it costs more start-up time than the whole certificate takes (~1 ms).
 */
export function createPluginCertificate(now = new Date()): PluginCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, minimal encoding
  const name = sequence(set(sequence(oid("2.5.4.10"), utf8String("Gantry tfplugin"))), set(sequence(oid("2.5.4.3"), utf8String("localhost"))));
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const extensions = sequence(
    // keyUsage (critical): digitalSignature, keyEncipherment, keyCertSign
    sequence(oid("2.5.29.15"), boolean(true), octetString(bitString(new Uint8Array([0xa4]), 2))),
    // extKeyUsage: serverAuth, clientAuth
    sequence(oid("2.5.29.37"), octetString(sequence(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2")))),
    // basicConstraints (critical): CA
    sequence(oid("2.5.29.19"), boolean(true), octetString(sequence(boolean(true)))),
    // subjectAltName: DNS localhost
    sequence(oid("2.5.29.17"), octetString(sequence(tlv(0x82, new TextEncoder().encode("localhost"))))),
  );
  const tbs = sequence(
    explicit(0, integer(new Uint8Array([2]))),
    integer(serial),
    algorithm,
    name,
    sequence(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + 365 * 24 * 3600_000))),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(new Uint8Array(signature)));
  const b64 = Buffer.from(der).toString("base64");
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`,
    keyPem: String(privateKey.export({ type: "pkcs8", format: "pem" })),
    handshakeCert: b64.replace(/=+$/, ""),
  };
}
