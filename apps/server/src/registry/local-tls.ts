import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import forge from "node-forge";

/** A certificate and key to serve HTTPS with, and the CA that signed it when Gantry made it. */
export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  /** The local CA's certificate (runs and people trust it); null for a certificate given by the operator. */
  caPem: string | null;
}

const FILES = { caCert: "ca.pem", caKey: "ca-key.pem", cert: "server.pem", key: "server-key.pem" };

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  // writeFileSync's mode passes through the umask and leaves an existing file as it was.
  chmodSync(file, 0o600);
}

function serial(): string {
  // Positive, 16 bytes: a leading 0x01..0x7f byte keeps it from reading as negative.
  return (Math.floor(Math.random() * 0x7e) + 1).toString(16).padStart(2, "0") + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

function makeCa(): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const name = [{ name: "commonName", value: "Gantry local CA" }, { name: "organizationName", value: "Gantry" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

function makeLeaf(ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }, hosts: string[]) {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  // Within the 825 days clients accept for a leaf certificate.
  cert.validity.notAfter = new Date(Date.now() + 800 * 24 * 3600 * 1000);
  cert.setSubject([{ name: "commonName", value: hosts[0] ?? "localhost" }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    // Terraform (Go) checks the SAN only: an IP needs an IP entry, a name a DNS entry.
    { name: "subjectAltName", altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/**
 * The local CA and server certificate `gantry up` serves HTTPS with, made on first start in
 * `<data dir>/tls` (keys mode 0600) and reused after. The certificate is made again, by the
 * same CA, when a host it must name is missing from it, so trust set up once keeps working.
 */
export function ensureLocalTls(dataDir: string, hosts: string[]): TlsMaterial {
  const dir = join(dataDir, "tls");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const f = (k: keyof typeof FILES) => join(dir, FILES[k]);
  let ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  if (existsSync(f("caCert")) && existsSync(f("caKey"))) {
    ca = { cert: forge.pki.certificateFromPem(readFileSync(f("caCert"), "utf8")), key: forge.pki.privateKeyFromPem(readFileSync(f("caKey"), "utf8")) as forge.pki.rsa.PrivateKey };
  } else {
    ca = makeCa();
    writePrivate(f("caKey"), forge.pki.privateKeyToPem(ca.key));
    writeFileSync(f("caCert"), forge.pki.certificateToPem(ca.cert), { mode: 0o644 });
  }
  const caPem = forge.pki.certificateToPem(ca.cert);
  if (existsSync(f("cert")) && existsSync(f("key"))) {
    const certPem = readFileSync(f("cert"), "utf8");
    const existing = forge.pki.certificateFromPem(certPem);
    const san = existing.getExtension("subjectAltName") as { altNames?: { ip?: string; value?: string }[] } | null;
    const named = new Set((san?.altNames ?? []).map((a) => a.ip ?? a.value));
    const fresh = existing.validity.notAfter.getTime() > Date.now() + 7 * 24 * 3600 * 1000;
    if (fresh && hosts.every((h) => named.has(h))) return { certPem, keyPem: readFileSync(f("key"), "utf8"), caPem };
  }
  const leaf = makeLeaf(ca, [...new Set(hosts)]);
  writePrivate(f("key"), leaf.keyPem);
  writeFileSync(f("cert"), leaf.certPem, { mode: 0o644 });
  return { ...leaf, caPem };
}
