import type { Command } from "commander";
import { CliError, usageError } from "../errors.js";
import { parseIntArg } from "../flags.js";
import type { Runtime } from "../runtime.js";
import { envSwitch, parseProviderUpstream } from "@gantry/worker";

interface WorkerFlags {
  url?: string;
  server?: string;
  poolToken?: string;
  token?: string;
  name?: string;
  concurrency?: number;
  workDir?: string;
  toolsDir?: string;
  providerMirror?: string;
  providerReattach?: boolean;
  providerUpstreamMirror?: string;
  otlpTracesEndpoint?: string;
}

/** OpenTelemetry for a worker: `--otlp-traces-endpoint`, else GANTRY_OTLP_TRACES_ENDPOINT (and GANTRY_OTLP_HEADERS); off when neither is set. */
export function telemetrySettings(rt: Runtime, o: { otlpTracesEndpoint?: string } = {}): { otlpTracesEndpoint?: string; otlpHeaders?: string } {
  const endpoint = o.otlpTracesEndpoint ?? (rt.env.GANTRY_OTLP_TRACES_ENDPOINT || undefined);
  return endpoint ? { otlpTracesEndpoint: endpoint, ...(rt.env.GANTRY_OTLP_HEADERS ? { otlpHeaders: rt.env.GANTRY_OTLP_HEADERS } : {}) } : {};
}

/**
 * The worker's provider and credential settings: flags win over the environment
 * (GANTRY_PROVIDER_MIRROR, GANTRY_PROVIDER_REATTACH, GANTRY_PROVIDER_UPSTREAM_MIRROR,
 * GANTRY_AWS_STS_ENDPOINT); unset ones keep
 * the worker's defaults.
 */
export function providerSettings(rt: Runtime, o: { providerMirror?: string; providerReattach?: boolean; providerUpstreamMirror?: string } = {}): { providerMirror?: string; providerReattach?: boolean; awsStsEndpoint?: string; providerUpstreamMirror?: string } {
  const mirror = o.providerMirror ?? (rt.env.GANTRY_PROVIDER_MIRROR || undefined);
  const upstream = o.providerUpstreamMirror ?? (rt.env.GANTRY_PROVIDER_UPSTREAM_MIRROR || undefined);
  const parsed = parseProviderUpstream(upstream);
  if (typeof parsed === "object" && "error" in parsed) throw usageError(`${parsed.error} (--provider-upstream-mirror or GANTRY_PROVIDER_UPSTREAM_MIRROR)`);
  // commander sets providerReattach to true unless --no-provider-reattach was given.
  const reattach = o.providerReattach === false ? false : envSwitch(rt.env.GANTRY_PROVIDER_REATTACH);
  const sts = rt.env.GANTRY_AWS_STS_ENDPOINT || undefined;
  return { ...(upstream ? { providerUpstreamMirror: upstream } : {}), ...(mirror ? { providerMirror: mirror } : {}), ...(reattach === undefined ? {} : { providerReattach: reattach }), ...(sts ? { awsStsEndpoint: sts } : {}) };
}

/**
 * `gantry worker`: a remote worker of a private pool. It connects out to the server with the
 * pool's token, so the machine needs no inbound port.
 */
export function workerCommand(rt: Runtime, program: Command): void {
  program
    .command("worker")
    .description("run a worker that executes runs for a worker pool (connects out to the server)")
    .option("--url <url>", "server URL (env GANTRY_URL); several replicas comma-separated, used in turn when one stops answering")
    .option("--server <url>", "the same as --url")
    .option("--token <token>", "the pool's token, gwp_... (prefer env GANTRY_WORKER_TOKEN)")
    .option("--pool-token <token>", "the same as --token")
    .option("--name <name>", "name in the pool's worker list (default: host name)")
    .option("--concurrency <n>", "runs at once (default 1)", parseIntArg)
    .option("--work-dir <dir>", "run directories and repository mirrors (default: a temp folder)")
    .option("--tools-dir <dir>", "pinned binaries as <dir>/terraform/<version>/terraform")
    .option("--provider-mirror <dir>", "filesystem mirror holding the providers Gantry ships (its own, the AWS simulator) for every run (env GANTRY_PROVIDER_MIRROR; default: the one built with Gantry)")
    .option("--provider-upstream-mirror <url>", "where runs install providers Gantry does not host: an https:// network mirror URL, direct (their origin registries) or none (env GANTRY_PROVIDER_UPSTREAM_MIRROR; default none: offline)")
    .option("--no-provider-reattach", "administrative runs: let terraform start the Gantry provider per command (env GANTRY_PROVIDER_REATTACH=0)")
    .option("--otlp-traces-endpoint <url>", "OpenTelemetry: send each run's steps as spans to this OTLP/HTTP traces URL (env GANTRY_OTLP_TRACES_ENDPOINT; off by default)")
    .action(async (o: WorkerFlags) => {
      const serverUrl = o.url ?? o.server ?? rt.env.GANTRY_URL;
      const token = o.token ?? o.poolToken ?? rt.env.GANTRY_WORKER_TOKEN;
      if (!serverUrl) throw usageError("no server URL: pass --url or set GANTRY_URL");
      if (!token) throw usageError("no worker-pool token: set GANTRY_WORKER_TOKEN (from gantry worker-pool create) or pass --token");
      if (o.concurrency === 0) throw usageError("--concurrency must be at least 1");
      const { startWorker } = await import("@gantry/worker");
      // A refused token will not start working by retrying: stop with the reason. Other trouble
      // (the server restarting) is retried by the worker; it is printed once per new message.
      let refused!: (err: Error) => void;
      const refusal = new Promise<Error>((resolve) => (refused = resolve));
      let last = "";
      const onError = (err: Error) => {
        const status = (err as { status?: number }).status;
        if (status === 401 || status === 403) return refused(err);
        if (err.message !== last) rt.err(`worker: ${err.message}`);
        last = err.message;
      };
      const worker = startWorker({ serverUrl, token, name: o.name, concurrency: o.concurrency, workDir: o.workDir, toolsDir: o.toolsDir, onError, ...providerSettings(rt, o), ...telemetrySettings(rt, o) });
      const stopped = new Promise<string>((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
      });
      const outcome = async (p: Promise<unknown>) => Promise.race([p.then(() => undefined), stopped, refusal]);
      let why = await outcome(worker.ready);
      if (why === undefined) {
        rt.err(`worker connected to ${serverUrl}; press Ctrl+C to stop`);
        why = await outcome(new Promise(() => undefined));
      }
      if (why instanceof Error) {
        await worker.stop();
        throw new CliError("api", `the server refused the worker: ${why.message}; check GANTRY_WORKER_TOKEN (gantry worker-pool reset-token issues a new one)`);
      }
      rt.err(`received ${why}, finishing: runs in progress are ended and reported`);
      await worker.stop();
    });
}
