import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JobRegistry } from "@gantry/contract";

/** The directories Go (terraform) reads system roots from on Linux when SSL_CERT_DIR is unset. */
const SYSTEM_CERT_DIRS = ["/etc/ssl/certs", "/etc/pki/tls/certs", "/system/etc/security/cacerts"];

const hostOf = (url: string) => new URL(url).host;

/**
 * What a run needs to use Gantry's registry without any setup of its own:
 * - a `credentials` block per registry host with the run's token (it dies with the run);
 * - a `host` block per alias (e.g. `spacelift.io`), and for a registry host that is not where
 *   the registry is reached, pointing `modules.v1` and `providers.v1` at Gantry and skipping
 *   DNS and discovery;
 * - the local CA added to the roots terraform trusts: written into a directory appended to
 *   SSL_CERT_DIR, which adds to the system roots (SSL_CERT_FILE would replace them).
 *
 * @example
 * registryCliConfig(runDir, { hosts: ["127.0.0.1:4811", "spacelift.io"], serviceUrl: "https://127.0.0.1:4811", caCertificatePem }, "gnr_...")
 */
export function registryCliConfig(runDir: string, registry: JobRegistry, token: string, inherited: { SSL_CERT_DIR?: string }): { cliConfig: string; env: Record<string, string> } {
  const lines: string[] = [];
  const served = hostOf(registry.serviceUrl);
  const base = registry.serviceUrl.replace(/\/+$/, "");
  for (const host of registry.hosts) {
    lines.push(`credentials ${JSON.stringify(host)} {`, `  token = ${JSON.stringify(token)}`, "}");
    if (host !== served) lines.push(`host ${JSON.stringify(host)} {`, "  services = {", `    "modules.v1"   = ${JSON.stringify(`${base}/v1/modules/`)}`, `    "providers.v1" = ${JSON.stringify(`${base}/v1/providers/`)}`, "  }", "}");
  }
  // The network mirror is reached at the service URL itself: it needs the token too when the
  // registry host is a DNS name other than the address served (GANTRY_REGISTRY_HOST).
  if (!registry.hosts.includes(served)) lines.push(`credentials ${JSON.stringify(served)} {`, `  token = ${JSON.stringify(token)}`, "}");
  const env: Record<string, string> = {};
  if (registry.caCertificatePem) {
    const dir = join(runDir, "registry-ca");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "gantry-local-ca.pem"), registry.caCertificatePem);
    env.SSL_CERT_DIR = [...(inherited.SSL_CERT_DIR ? inherited.SSL_CERT_DIR.split(":") : SYSTEM_CERT_DIRS), dir].join(":");
  }
  return { cliConfig: lines.join("\n") + "\n", env };
}
