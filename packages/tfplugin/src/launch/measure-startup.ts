import { spawn } from "node:child_process";
import { TfPluginError } from "../errors.js";
import { createPluginCertificate } from "../server/certificate.js";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../server/handshake.js";

/**
 * Starts a provider binary the way Terraform does (magic cookie, AutoMTLS client certificate)
 * and returns the milliseconds until its handshake line; it stops the process 150 ms later,
 * so the first call also leaves the provider's code cache behind for the following ones.
 */
export function measureHandshake(binary: string, options: { tls?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ ms: number; line: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6" };
  if (options.tls !== false) env.PLUGIN_CLIENT_CERT = createPluginCertificate().certPem;
  else env.TF_DISABLE_PLUGIN_TLS = "1";
  const start = process.hrtime.bigint();
  const child = spawn(binary, [], { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    let measured = false;
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0 && !measured) {
        measured = true;
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        child.removeAllListeners("exit");
        // Let the process live briefly as under terraform: the first launch writes its code
        // cache just after the handshake, and the next measurement should not compete with it.
        setTimeout(() => child.kill("SIGKILL"), 150);
        child.once("exit", () => resolve({ ms, line: out.slice(0, nl) }));
      }
    });
    child.on("exit", (code) => reject(new TfPluginError("handshake", `provider exited with ${code} before its handshake: ${err.trim()}`)));
  });
}
