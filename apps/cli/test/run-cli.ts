/**
 * Runs the real `gantry` command as a child process, the way people and scripts run it. The
 * server under test lives in the test process, so children are spawned asynchronously: a
 * blocking spawn would stop the server from answering.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
/** The tsx loader by absolute URL, so children may run in any working directory. */
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
}

/** Starts `gantry <args>` without waiting for it. */
export function spawnCli(args: string[], opts: CliOptions = {}): ChildProcess {
  // Only what the test names: no GANTRY_* variable of the machine running the tests leaks in.
  const env: Record<string, string> = { PATH: process.env.PATH ?? "" };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  return spawn(process.execPath, ["--import", tsx, main, ...args], { env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
}

/** Runs `gantry <args>` to completion. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, opts);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end(opts.input ?? "");
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `gantry <args>`, waits until its output shows `ready`, and gives that output and a stop function. */
export async function serveCli(args: string[], opts: CliOptions, ready: string) {
  const child = spawnCli(args, opts);
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  await new Promise<void>((resolve, reject) => {
    const check = () => (stdout + stderr).includes(ready) && resolve();
    child.stdout?.on("data", (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr?.on("data", (d: Buffer) => ((stderr += d.toString()), check()));
    void exited.then((code) => reject(new Error(`gantry ${args[0]} exited with ${code}: ${stderr}`)));
  });
  return {
    stdout,
    stderr,
    async stop() {
      child.kill("SIGTERM");
      return { code: await exited, stderr };
    },
  };
}
