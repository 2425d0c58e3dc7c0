import { open, rename, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";

/**
 * Replaces `path` with `content` so that a reader sees either the old or the new file, never a
 * partial one: write a temporary file in the same directory, fsync it, rename it over.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o644);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
