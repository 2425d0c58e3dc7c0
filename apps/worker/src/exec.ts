import { spawn } from "node:child_process";
import { WorkerError } from "./errors.js";
import type { LogSink } from "./log-sink.js";

export interface ExecOptions {
  cwd: string;
  env: Record<string, string>;
  log: LogSink;
  signal: AbortSignal;
  /** Captures stdout instead of logging it (for `show -json`, `output -json`). */
  capture?: boolean;
  /** Logs stdout and also hands it back (the plan's summary line). */
  tee?: boolean;
}

/**
 * Runs a process in its own process group, streaming stdout and stderr into the run's log.
 * Aborting kills the whole group, so a hook's children die with it.
 */
export function exec(file: string, args: string[], opts: ExecOptions): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) return reject(opts.signal.reason);
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => {
      if (opts.capture || opts.tee) chunks.push(b);
      if (!opts.capture) opts.log.write(b.toString("utf8"));
    });
    child.stderr.on("data", (b: Buffer) => opts.log.write(b.toString("utf8")));
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    opts.signal.addEventListener("abort", kill, { once: true });
    child.on("error", (err) => {
      opts.signal.removeEventListener("abort", kill);
      reject(new WorkerError("phase", `starting ${file} failed: ${err.message}`, { cause: err }));
    });
    child.on("close", (code, sig) => {
      opts.signal.removeEventListener("abort", kill);
      if (opts.signal.aborted) return reject(opts.signal.reason);
      resolve({ code: code ?? (sig ? 128 : 1), stdout: Buffer.concat(chunks).toString("utf8") });
    });
  });
}
