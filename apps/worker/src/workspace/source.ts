import { mkdirSync } from "node:fs";
import { extract } from "tar";
import { WorkerError } from "../errors.js";

/**
 * Unpacks a local preview's uploaded code into the workspace. The server checked the archive
 * already; tar's own guards (no absolute paths, no `..`, no writing through links) hold anyway.
 */
export async function unpackSource(archive: Buffer, workspace: string): Promise<void> {
  mkdirSync(workspace, { recursive: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const x = extract({ cwd: workspace, strict: true, preservePaths: false });
      x.on("error", reject);
      x.on("finish", () => resolve());
      x.end(archive);
    });
  } catch (err) {
    throw new WorkerError("workspace", `unpacking the uploaded code failed: ${(err as Error).message}`);
  }
}
