import { ServerCredentials } from "@grpc/grpc-js";
import type { Server } from "@grpc/grpc-js";
import { TfPluginError } from "../errors.js";
import type { Provider } from "../types.js";
import { createPluginCertificate } from "./certificate.js";
import { createPluginServer } from "./grpc-server.js";
import { handshakeLine, handshakeProblem } from "./handshake.js";
import { StdioForwarder } from "./stdio.js";

/** Options for {@link serve}. */
export interface ServeOptions {
  /** Arguments (defaults to `process.argv.slice(2)`); `--reattach <address>` selects reattach mode. */
  readonly argv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Entry point of a provider binary. Started by Terraform it performs the go-plugin handshake
 * (magic cookie, AutoMTLS unless `TF_DISABLE_PLUGIN_TLS`) and serves until Terraform's
 * controller says Shutdown or the parent goes away. With `--reattach <provider address>` it
 * serves without TLS for any number of Terraform processes and prints the
 * `TF_REATTACH_PROVIDERS` JSON as its first stdout line.
 *
 * @example
 * // bin.ts, bundled with buildProviderBinary
 * import { serve } from "@gantry/tfplugin";
 * import { provider } from "./provider.js";
 * serve(provider);
 */
export function serve(provider: Provider, options: ServeOptions = {}): void {
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const reattachAt = argv.indexOf("--reattach");
  if (reattachAt >= 0) {
    const address = argv[reattachAt + 1];
    if (!address) fatal("--reattach needs the provider's source address, e.g. --reattach example.com/acme/demo");
    keepServingOnStrayErrors();
    void serveReattach(provider, address).catch((error: unknown) => fatal(String(error instanceof Error ? error.message : error)));
    return;
  }
  const problem = handshakeProblem(env);
  if (problem) fatal(problem);
  keepServingOnStrayErrors();
  void serveManaged(provider, env).catch((error: unknown) => fatal(String(error instanceof Error ? error.message : error)));
}

async function serveManaged(provider: Provider, env: NodeJS.ProcessEnv): Promise<void> {
  const stdio = new StdioForwarder();
  const exit = (): void => {
    server.forceShutdown();
    process.exit(0);
  };
  const server = createPluginServer(provider, { onShutdown: () => setTimeout(exit, 20), stdio });
  const tlsOff = Boolean(env.TF_DISABLE_PLUGIN_TLS);
  const clientCert = env.PLUGIN_CLIENT_CERT;
  let credentials = ServerCredentials.createInsecure();
  let certField = "";
  if (!tlsOff && clientCert) {
    const cert = createPluginCertificate();
    // Mutual TLS: only the Terraform process holding the certificate it announced may call us.
    credentials = ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }], true);
    certField = cert.handshakeCert;
  }
  const port = await bind(server, credentials);
  process.stdout.write(handshakeLine(`127.0.0.1:${port}`, certField));
  stdio.captureStdout();
  watchParent(exit);
  // go-plugin hands us Terraform's stdin (often /dev/null): its end must not stop the plugin.
  process.stdin.on("error", () => undefined);
  process.on("SIGINT", () => undefined); // Terraform forwards Ctrl-C; it stops us through Shutdown.
}

async function serveReattach(provider: Provider, address: string): Promise<void> {
  // Several Terraform processes share this server: Shutdown from one must not stop the others.
  const server = createPluginServer(provider, { onShutdown: () => undefined });
  const port = await bind(server, ServerCredentials.createInsecure());
  const reattach = {
    [address]: { Protocol: "grpc", ProtocolVersion: 6, Pid: process.pid, Test: true, Addr: { Network: "tcp", String: `127.0.0.1:${port}` } },
  };
  process.stdout.write(JSON.stringify(reattach) + "\n");
  const stop = (): void => {
    server.forceShutdown();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  watchParent(stop);
}

function bind(server: Server, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", credentials, (error, port) => {
      if (error) reject(new TfPluginError("handshake", `cannot listen on 127.0.0.1: ${error.message}`));
      else resolve(port);
    });
  });
}

/** Exits when the parent (Terraform, or whoever started a reattach server) is gone. */
function watchParent(exit: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) exit();
  }, 1000);
  timer.unref();
}

/**
 * Handler errors already become diagnostics; this covers errors thrown outside any call (a
 * stray timer or promise in provider code). Dying would make terraform report a crashed plugin
 * in the middle of an apply, so log to stderr (terraform's plugin log) and keep serving.
 */
function keepServingOnStrayErrors(): void {
  const log = (kind: string) => (error: unknown) => {
    process.stderr.write(`tfplugin: ${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  };
  process.on("uncaughtException", log("uncaught exception"));
  process.on("unhandledRejection", log("unhandled rejection"));
}

function fatal(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
