import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { WorkerError } from "./errors.js";

const run = promisify(execFile);

/** A gzipped tar of `dir/name`, with the plan file and `.terraform`, so another worker can apply. */
export async function packWorkspace(dir: string, name: string): Promise<Buffer> {
  const { stdout } = await run("tar", ["-czf", "-", "-C", dir, name], { encoding: "buffer", maxBuffer: 2 * 1024 * 1024 * 1024 });
  return stdout;
}

/** Unpacks an archive made by {@link packWorkspace} into `dir`. */
export function unpackWorkspace(archive: Buffer, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn("tar", ["-xzf", "-", "-C", dir], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    tar.stderr.on("data", (b: Buffer) => (err += b.toString()));
    tar.on("error", reject);
    tar.on("close", (code) => (code === 0 ? resolve() : reject(new WorkerError("workspace", `unpacking the run's workspace failed: ${err.trim()}`))));
    tar.stdin.end(archive);
  });
}
