import { posix } from "node:path";
import { Parser, type ReadEntry } from "tar";
import { invalidField, type AppError } from "../errors.js";

/** Limits on what an uploaded source archive may unpack to. */
export const SOURCE_LIMITS = { files: 20_000, bytes: 512 * 1024 * 1024 };

const allowedTypes = new Set(["File", "OldFile", "ContiguousFile", "Directory", "SymbolicLink"]);

/** A path that stays inside the archive's root once normalized (no absolute path, no `..`). */
function staysInside(path: string): boolean {
  const normal = posix.normalize(path);
  return !posix.isAbsolute(path) && normal !== ".." && !normal.startsWith("../");
}

/** A symbolic link's target, resolved from the link's own directory, stays inside the archive's root. */
function linkStaysInside(path: string, target: string): boolean {
  return !posix.isAbsolute(target) && staysInside(posix.join(posix.dirname(path), target));
}

function refuse(message: string): AppError {
  return invalidField(["archiveBase64"], message);
}

/**
 * Reads an uploaded gzipped tar to the end and refuses what a worker must never unpack: paths
 * that climb out of the workspace, links pointing outside it, devices and hard links, and
 * archives too large to unpack. Checked on the server so a bad upload fails at once, with the
 * offending entry named, rather than on a worker later.
 */
export async function checkSourceArchive(archive: Buffer): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let problem: AppError | undefined;
  const parser = new Parser({ strict: true });
  parser.on("entry", (entry: ReadEntry) => {
    if (!problem) {
      const path = entry.path;
      if (!allowedTypes.has(entry.type)) problem = refuse(`archive entry ${JSON.stringify(path)} is a ${entry.type}: only files, directories and symbolic links can be uploaded`);
      else if (!staysInside(path)) problem = refuse(`archive entry ${JSON.stringify(path)} leaves the workspace: paths must be relative and must not climb out with ..`);
      else if (entry.type === "SymbolicLink" && !linkStaysInside(path, entry.linkpath ?? "")) {
        problem = refuse(`symbolic link ${JSON.stringify(path)} points outside the workspace (${JSON.stringify(entry.linkpath)}): replace it with the file itself`);
      }
      files += 1;
      bytes += entry.size ?? 0;
      if (!problem && files > SOURCE_LIMITS.files) problem = refuse(`the archive holds more than ${SOURCE_LIMITS.files} entries: add what the run does not need to .terraformignore`);
      if (!problem && bytes > SOURCE_LIMITS.bytes) problem = refuse(`the archive unpacks to more than ${SOURCE_LIMITS.bytes / 1024 / 1024} MiB: add large files to .terraformignore`);
    }
    entry.resume();
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("error", (err: Error) => reject(refuse(`the archive is not a valid gzipped tar: ${err.message}`)));
    parser.on("warn", (_code: string, message: string | Error) => reject(refuse(`the archive is not a valid gzipped tar: ${typeof message === "string" ? message : message.message}`)));
    parser.on("end", () => resolve());
    parser.end(archive);
  });
  if (problem) throw problem;
  if (files === 0) throw refuse("the archive is empty: upload the directory that holds the stack's code");
  return { files, bytes };
}
