import { hostname, tmpdir } from "node:os";
import { Tracing } from "@gantry/telemetry";
import { join } from "node:path";
import { ServerRefusal, WorkerApi } from "./client.js";
import { administrativeOptions } from "./admin/options.js";
import { WorkerError } from "./errors.js";
import { parseProviderUpstream } from "./workspace/provider-installation.js";
import { executeJob, RunAborted, type ExecutorOptions } from "./executor.js";
import { removeDeadRunDirs } from "./workspace/run-dirs.js";

export interface WorkerOptions {
  /**
   * Base URL of the Gantry server, e.g. `http://127.0.0.1:4810`; several (an array, or
   * comma-separated) name replicas of one installation, used in turn when one stops answering.
   */
  serverUrl: string | readonly string[];
  /** How long a run's reports are retried through an unreachable server or database (default 5 minutes). */
  reportRetryMs?: number;
  /** A worker-pool token (`gwp_...`): the built-in pool's from `gantry up`, or a private pool's. */
  token: string;
  /** Name shown in the pool's worker list (default: host name). */
  name?: string;
  /** How many runs to execute at once; each slot registers as one worker. Default 1. */
  concurrency?: number;
  /** Run directories and repository mirrors live here (default: a `gantry-worker` folder in the temp dir). */
  workDir?: string;
  /** Pinned binaries: `<toolsDir>/terraform/<version>/terraform`, `<toolsDir>/tofu/<version>/tofu`. */
  toolsDir?: string;
  /**
   * A release mirror laid out like releases.hashicorp.com: pinned versions missing from the tools
   * directory are downloaded from it (SHA-256 checked against its SHA256SUMS file) into it.
   */
  releaseMirrorUrl?: string;
  /** A run with no output for this long is ended (default 15 minutes). */
  noOutputTimeoutMs?: number;
  /** A run taking longer than this is ended (default 2 hours). */
  runTimeoutMs?: number;
  /** How long one claim waits on the server for work (default 25 s). */
  claimWaitMs?: number;
  /**
   * Filesystem mirror with the Gantry provider for administrative runs (default: env
   * GANTRY_PROVIDER_MIRROR, else the providers package's dist/mirror, built by `npm run build`).
   */
  providerMirror?: string;
  /**
   * Start the Gantry provider once per administrative run phase and reattach terraform to it
   * (default: true unless env GANTRY_PROVIDER_REATTACH is "0" or "false").
   */
  providerReattach?: boolean;
  /**
   * Where runs install providers Gantry does not host: `none` (default: offline), `direct` (their
   * origin registries) or an HTTPS network mirror URL. Refused at start when malformed.
   */
  providerUpstreamMirror?: string;
  /**
   * STS endpoint the worker calls for AWS integrations with `generateCredentialsInWorker`
   * (default: the integration region's public endpoint; env GANTRY_AWS_STS_ENDPOINT in the CLI).
   */
  awsStsEndpoint?: string;
  /** OpenTelemetry: OTLP/HTTP traces URL; each run's steps become spans of its trace (off without it). */
  otlpTracesEndpoint?: string;
  /** Headers for the collector, `key=value,...` (e.g. an auth token). */
  otlpHeaders?: string;
  /** Where the worker reports its own trouble (unreachable server and such). */
  onError?: (err: Error) => void;
}

export interface RunningWorker {
  /** Resolves once every slot has registered. */
  ready: Promise<void>;
  /** Stops claiming, ends the runs in progress (reported FAILED: the worker shut down) and waits for them. */
  stop(): Promise<void>;
}

/** Waits `ms`, or less if the signal aborts; the abort listener goes away with the wait. */
const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((r) => {
  const wake = () => {
    clearTimeout(t);
    signal.removeEventListener("abort", wake);
    r();
  };
  const t = setTimeout(wake, ms);
  signal.addEventListener("abort", wake, { once: true });
});

/**
 * Starts a worker: each slot registers with the server, long-polls for a run, executes it and
 * heartbeats meanwhile. The server's heartbeat answer names runs to stop (a person stopped them,
 * or the run was taken away), which kills their processes at once.
 *
 * @example
 * const worker = startWorker({ serverUrl: server.url, token: await server.mintWorkerToken(), concurrency: 2 });
 * await worker.ready;
 * // ...
 * await worker.stop();
 */
export function startWorker(opts: WorkerOptions): RunningWorker {
  const onError = opts.onError ?? (() => undefined);
  const api = new WorkerApi(opts.serverUrl, opts.token, { retryForMs: opts.reportRetryMs, onRetry: (err) => onError(new Error(`${err.message} (retrying)`)) });
  const workDir = opts.workDir ?? join(tmpdir(), "gantry-worker");
  const upstream = parseProviderUpstream(opts.providerUpstreamMirror);
  if (typeof upstream === "object" && "error" in upstream) throw new WorkerError("provider", upstream.error);
  const exec: ExecutorOptions = {
    api,
    workDir: join(workDir, "runs"),
    cacheDir: join(workDir, "git-mirrors"),
    pluginCacheDir: join(workDir, "plugin-cache"),
    toolsDir: opts.toolsDir ?? (opts.releaseMirrorUrl ? join(workDir, "tools") : undefined),
    releaseMirrorUrl: opts.releaseMirrorUrl,
    noOutputTimeoutMs: opts.noOutputTimeoutMs ?? 15 * 60_000,
    runTimeoutMs: opts.runTimeoutMs ?? 2 * 3_600_000,
    admin: administrativeOptions(opts),
    providerUpstream: upstream,
    aws: opts.awsStsEndpoint ? { stsEndpoint: opts.awsStsEndpoint } : {},
    tracing: Tracing.start({ endpoint: opts.otlpTracesEndpoint, headers: opts.otlpHeaders, serviceName: "gantry-worker" }),
  };
  // Runs of workers that died (SIGKILL, a crash, a reboot) left their directories behind.
  removeDeadRunDirs(exec.workDir);
  const shutdown = new AbortController();
  const name = opts.name ?? hostname();
  const readies: Promise<void>[] = [];
  const loops: Promise<void>[] = [];

  for (let slot = 0; slot < (opts.concurrency ?? 1); slot++) {
    let registered!: () => void;
    readies.push(new Promise<void>((r) => (registered = r)));
    loops.push(slotLoop(`${name}#${slot + 1}`, registered));
  }

  async function slotLoop(slotName: string, registered: () => void): Promise<void> {
    let workerId: string | undefined;
    let interval = 5000;
    const active = new Map<string, AbortController>();
    let beat: NodeJS.Timeout | undefined;
    const heartbeat = async () => {
      if (!workerId) return;
      try {
        const ans = await api.call("heartbeat", { params: { workerId }, body: { runIds: [...active.keys()] } });
        for (const id of ans.stopRunIds) active.get(id)?.abort(new RunAborted(false, "the run was stopped on the server: ending its processes"));
      } catch (err) {
        if (err instanceof ServerRefusal && (err.status === 409 || err.status === 404)) workerId = undefined; // declared gone: register again
        onError(err as Error);
      }
    };
    while (!shutdown.signal.aborted) {
      try {
        if (!workerId) {
          const reg = await api.call("registerWorker", { body: { name: slotName } });
          workerId = reg.workerId;
          interval = reg.heartbeatIntervalMs;
          clearInterval(beat);
          beat = setInterval(() => void heartbeat(), interval);
          registered();
        }
        const { job } = await api.call("claimRun", { params: { workerId }, body: { waitMs: opts.claimWaitMs ?? 25_000 } }, undefined, shutdown.signal);
        if (!job) continue;
        const ctrl = new AbortController();
        const onShutdown = () => ctrl.abort(new RunAborted(true, "the worker shut down while executing the run: retry it"));
        shutdown.signal.addEventListener("abort", onShutdown, { once: true });
        active.set(job.runId, ctrl);
        try {
          await exec.tracing!.inRunSpan(job.runId, `worker ${job.phase}`, { "gantry.stack.id": job.stackId, "gantry.run.type": job.runType, "gantry.worker.slot": slotName }, () => executeJob(job, exec, ctrl.signal));
        } finally {
          active.delete(job.runId);
          shutdown.signal.removeEventListener("abort", onShutdown);
        }
      } catch (err) {
        if (shutdown.signal.aborted) break;
        if (err instanceof ServerRefusal && (err.status === 409 || err.status === 404)) workerId = undefined;
        onError(err as Error);
        await sleep(1000, shutdown.signal);
      }
    }
    clearInterval(beat);
  }

  return {
    ready: Promise.all(readies).then(() => undefined),
    async stop() {
      shutdown.abort();
      await Promise.all(loops);
      // Spans still buffered (the last run's) leave now, not never.
      await exec.tracing!.shutdown().catch((err: Error) => onError(err));
    },
  };
}
