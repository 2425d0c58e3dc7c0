import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * A non-interactive environment: no credential prompt can hang a server or worker, and system
 * configuration cannot change what a fetch does.
 */
export const gitEnv: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", LC_ALL: "C" };

/** Runs git and returns its trimmed stdout; rejects with execFile's error (stderr attached). */
export async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync("git", args, { cwd, env: gitEnv, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** The last lines of git's complaint, for an error message. */
export const stderrOf = (err: unknown): string =>
  String((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split("\n").slice(-3).join(" ");
