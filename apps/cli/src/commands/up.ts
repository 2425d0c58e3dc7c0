/** The commands that run Gantry itself: `gantry up` (everything in one process) and `gantry server`. */
import type * as ServerApi from "@gantry/server";
import { join } from "node:path";
import type { Command } from "commander";
import { CliError, usageError } from "../errors.js";
import { parseIntArg } from "../flags.js";
import type { Runtime } from "../runtime.js";
import { providerSettings, telemetrySettings, toolSettings } from "./worker.js";

type ServerModule = typeof ServerApi;

/**
 * The server is loaded only by `up` and `server`, so client commands stay quick to start and
 * never pull the server's dependencies in.
 */
async function loadServer(): Promise<ServerModule> {
  return import("@gantry/server");
}

/** Loads the server configuration; a bad value is a usage error listing every problem. */
function configure(server: ServerModule, argv: Record<string, string | number | undefined>, env: Record<string, string | undefined>) {
  try {
    return server.loadConfig({ argv, env });
  } catch (err) {
    if (err instanceof server.ConfigError) throw usageError(err.message);
    throw err;
  }
}

/**
 * Resolves on the first SIGINT or SIGTERM. Listening starts before the banner is printed: a
 * supervisor that signals as soon as it reads the banner must not hit Node's default handler.
 */
function stopSignal(rt: Runtime): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      rt.err(`received ${signal}, shutting down`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}

async function start(server: ServerModule, config: ReturnType<ServerModule["loadConfig"]>) {
  try {
    return await server.startServer(config);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") throw usageError(`port ${config.port} is already in use: pick another with --port or GANTRY_PORT`);
    throw new CliError("api", `cannot start the server: ${e.message}`);
  }
}

/**
 * The in-process worker slot of `gantry up`: the same worker as a remote one, talking to the
 * server over HTTP with a token of the built-in pool, its run directories under the data dir.
 */
async function startEmbeddedWorker(rt: Runtime, running: { url: string; dataDir: string; mintWorkerToken(): Promise<string> }) {
  const { startWorker } = await import("@gantry/worker");
  const worker = startWorker({
    serverUrl: running.url,
    token: await running.mintWorkerToken(),
    name: "embedded",
    workDir: join(running.dataDir, "worker"),
    onError: (err) => rt.err(`worker: ${err.message}`),
    ...toolSettings(rt),
    ...providerSettings(rt),
    ...telemetrySettings(rt),
  });
  await worker.ready;
  return worker;
}

/** `gantry up`: the whole platform in one process on the embedded SQLite database. */
export function upCommand(rt: Runtime, program: Command): void {
  program
    .command("up")
    .description("start Gantry on this machine: API server and worker, data in .gantry/ (SQLite)")
    .option("--port <n>", "port to listen on (env GANTRY_PORT, default 4810; 0 picks a free one)", parseIntArg)
    .option("--data-dir <dir>", "where the database and keys live (env GANTRY_DATA_DIR, default .gantry)")
    .action(async (o: { port?: number; dataDir?: string }) => {
      const server = await loadServer();
      // A developer's terminal wants the URL and the key, not a JSON log line per event.
      const logLevel = rt.env.GANTRY_LOG_LEVEL ? undefined : "warn";
      // One machine: webhooks to receivers on this machine are the common case, so loopback is admitted.
      const outboundAllow = rt.env.GANTRY_OUTBOUND_ALLOW ? undefined : "127.0.0.0/8,::1/128";
      // HTTPS beside http (the module registry needs it), on the next port unless configured.
      const httpsPort = rt.env.GANTRY_HTTPS_PORT ? undefined : o.port === 0 ? 0 : (o.port ?? (Number(rt.env.GANTRY_PORT) || 4810)) + 1;
      const config = configure(server, { port: o.port, dataDir: o.dataDir, logLevel, outboundAllow, httpsPort }, rt.env);
      const running = await start(server, config);
      const stopped = stopSignal(rt);
      // A worker that cannot start must not leave the server holding the process open.
      const worker = await startEmbeddedWorker(rt, running).catch(async (err: unknown) => {
        await running.close();
        throw new CliError("api", `cannot start the in-process worker: ${(err as Error).message}`);
      });
      rt.out(`Gantry is running at ${running.url}`);
      if (running.httpsUrl) {
        rt.out(`HTTPS (module registry): ${running.httpsUrl}; modules are addressed as ${running.registry.host}/<namespace>/<name>/<provider>`);
        if (running.registry.caCertificatePem) rt.out(`  runs trust its local CA by themselves; for your own terraform see docs/registry.md (CA: ${running.dataDir}/tls/ca.pem)`);
      }
      rt.out(`data directory: ${running.dataDir}`);
      if (running.adminApiKey) {
        rt.out("");
        rt.out("first start: created the admin account. Its API key is shown once (also saved, mode 0600, in");
        rt.out(`${running.dataDir}/admin-api-key):`);
        rt.out("");
        rt.out(`  ${running.adminApiKey}`);
        rt.out("");
        rt.out(`log in with: gantry login --url ${running.url} --api-key <key>`);
      }
      rt.out("press Ctrl+C to stop");
      await stopped;
      // The worker first: its runs end and report while the server can still record them.
      await worker.stop();
      await running.close();
    });
}

/** `--data-dir x` and `--data-dir=x` become `{ dataDir: "x" }`, for the flags the server declares. */
export function parseSettingFlags(args: readonly string[], reference: readonly { key: string; flag: string }[]): Record<string, string> {
  const byFlag = new Map(reference.map((r) => [r.flag, r.key]));
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = byFlag.get(flag);
    if (!key) throw usageError(`gantry server: unknown argument ${JSON.stringify(arg)}; see gantry server --help`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw usageError(`gantry server: ${flag} needs a value`);
    out[key] = value;
  }
  return out;
}

/**
 * `gantry server`: the same server for production. Its flags are the server's own settings
 * table (`configReference`), read when the command runs, so they cannot drift from it and
 * building the command tree for client commands never loads the server.
 */
export function serverCommand(rt: Runtime, program: Command): void {
  program
    .command("server")
    .description("run the Gantry API server (production: PostgreSQL, remote workers); gantry server --help lists its settings")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_o, cmd: Command) => {
      const server = await loadServer();
      if (cmd.args.some((a) => a === "--help" || a === "-h")) {
        rt.out("Usage: gantry server [settings]\n\nEvery setting is a flag or an environment variable (the flag wins):\n");
        for (const r of server.configReference) rt.out(`  ${`${r.flag} <value>`.padEnd(44)} ${r.env}${r.description ? `\n  ${"".padEnd(44)} ${r.description}` : ""}`);
        return;
      }
      const config = configure(server, parseSettingFlags(cmd.args, server.configReference), rt.env);
      const running = await start(server, config);
      const stopped = stopSignal(rt);
      rt.err(`gantry server listening at ${running.url}`);
      if (running.adminApiKey) rt.err(`first start: admin API key written to ${running.dataDir}/admin-api-key (mode 0600)`);
      await stopped;
      await running.close();
    });
}
