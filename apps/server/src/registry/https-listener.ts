import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:https";
import type { ServerConfig } from "../config.js";
import type { RegistrySettings } from "../modules/rows.js";
import { ensureLocalTls, type TlsMaterial } from "./local-tls.js";

/**
 * Serves the same application over HTTPS on `config.httpsPort`: every request is handed to the
 * http server's request handler (Fastify's), so routes, authentication and errors are the same
 * on both ports. With no certificate configured, a local CA and certificate are made in the
 * data directory. Fills in the registry's HTTPS URL, host and CA.
 */
export async function listenHttps(http: Server, config: ServerConfig, dataDir: string, registry: RegistrySettings): Promise<{ close(): Promise<void> }> {
  const urlHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const configuredHost = config.registryHost?.replace(/:\d+$/, "");
  let tls: TlsMaterial;
  if (config.tlsCertFile && config.tlsKeyFile) {
    tls = { certPem: readFileSync(config.tlsCertFile, "utf8"), keyPem: readFileSync(config.tlsKeyFile, "utf8"), caPem: null };
  } else {
    tls = ensureLocalTls(dataDir, [...new Set(["127.0.0.1", "localhost", urlHost, ...(configuredHost ? [configuredHost] : [])])]);
  }
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => http.emit("request", req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.httpsPort, config.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.httpsPort!;
  const host = urlHost.includes(":") ? `[${urlHost}]` : urlHost;
  registry.httpsUrl = `https://${host}:${port}`;
  registry.host = config.registryHost ?? (port === 443 ? host : `${host}:${port}`);
  registry.caCertificatePem = tls.caPem;
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
