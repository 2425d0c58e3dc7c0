import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { TfPluginError } from "../errors.js";

/** Options for {@link startReattachedProvider}. */
export interface StartReattachedProviderOptions {
  /** The provider executable (a bundle from buildProviderBinary). */
  readonly binary: string;
  /** Full source address Terraform knows it by, e.g. `gantry.dev/sim/aws`. */
  readonly providerAddress: string;
  /** Extra environment for the provider process. */
  readonly env?: NodeJS.ProcessEnv;
  /** Give up if no reattach line arrives within this many ms (default 10 s). */
  readonly timeoutMs?: number;
  /** Receives the provider's stderr (logs). Default: discarded. */
  readonly onLog?: (chunk: string) => void;
}

/** A provider process serving any number of Terraform processes. */
export interface ReattachedProvider {
  /** The JSON value for `TF_REATTACH_PROVIDERS` (this provider only). */
  readonly reattachProviders: string;
  /** The parsed form, for merging several providers with {@link mergeReattachProviders}. */
  readonly reattachConfig: Record<string, unknown>;
  readonly pid: number;
  /** Stops the provider process and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts a provider in reattach mode and returns its `TF_REATTACH_PROVIDERS` JSON. Terraform
 * processes given that variable use the running provider instead of starting their own, which
 * removes a few hundred ms of process start-up per plan. Each Terraform process keeps its own
 * provider configuration.
 *
 * @example
 * const p = await startReattachedProvider({ binary, providerAddress: "gantry.dev/sim/aws" });
 * spawn("terraform", ["plan"], { env: { ...process.env, TF_REATTACH_PROVIDERS: p.reattachProviders } });
 * await p.stop();
 */
export function startReattachedProvider(options: StartReattachedProviderOptions): Promise<ReattachedProvider> {
  const child = spawn(options.binary, ["--reattach", options.providerAddress], { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new TfPluginError("reattach", `provider ${options.binary} printed no reattach line within ${options.timeoutMs ?? 10_000} ms: ${err.trim()}`));
    }, options.timeoutMs ?? 10_000);
    child.stderr.on("data", (d: Buffer) => {
      const text = d.toString();
      if (options.onLog) options.onLog(text);
      else err = (err + text).slice(-4000);
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new TfPluginError("reattach", `cannot start provider ${options.binary}: ${error.message}`, { cause: error }));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new TfPluginError("reattach", `provider ${options.binary} exited with ${code} before it was ready: ${err.trim()}`));
    });
    const onData = (d: Buffer): void => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stdout.resume(); // keep draining later output
      child.removeAllListeners("exit");
      try {
        const reattachConfig = JSON.parse(out.slice(0, nl)) as Record<string, unknown>;
        resolve({ reattachProviders: JSON.stringify(reattachConfig), reattachConfig, pid: child.pid ?? 0, stop: () => stopChild(child) });
      } catch (error) {
        child.kill("SIGKILL");
        reject(new TfPluginError("reattach", `provider printed an unreadable reattach line: ${out.slice(0, nl)}`, { cause: error }));
      }
    };
    child.stdout.on("data", onData);
  });
}

/** Combines several providers' reattach configs into one `TF_REATTACH_PROVIDERS` value. */
export function mergeReattachProviders(providers: readonly ReattachedProvider[]): string {
  return JSON.stringify(Object.assign({}, ...providers.map((p) => p.reattachConfig)));
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
