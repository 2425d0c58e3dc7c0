/** Runs the real terraform for provider tests, with a clean environment plus `env`; answers exit code and output. */
import { spawn } from "node:child_process";

export function terraform(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}
