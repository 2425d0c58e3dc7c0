/** A real Gantry server in the test process, on a temp data directory and a free port. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import { loadConfig, startServer, type RunningServer } from "@gantry/server";

export interface TestServer {
  url: string;
  adminKey: string;
  admin: GantryClient;
  /** The server itself (e.g. to mint a worker token). */
  server: RunningServer;
  /** A scratch directory for CLI config, input files and such. */
  scratch: string;
  stop(): Promise<void>;
}

/** `settings`: further server settings by key (e.g. `{ outboundAllow: "127.0.0.0/8" }`). */
export async function startTestServer(settings: Record<string, string | number> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-cli-server-"));
  const scratch = mkdtempSync(join(tmpdir(), "gantry-cli-scratch-"));
  const config = loadConfig({ argv: { port: 0, dataDir, logLevel: "silent", ...settings }, env: {} });
  const server: RunningServer = await startServer(config);
  if (!server.adminApiKey) throw new Error("a fresh server must bootstrap an admin key");
  return {
    url: server.url,
    adminKey: server.adminApiKey,
    admin: new GantryClient({ baseUrl: server.url, token: server.adminApiKey }),
    server,
    scratch,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
