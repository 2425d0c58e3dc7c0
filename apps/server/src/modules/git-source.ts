import { execFile } from "node:child_process";
import { posix } from "node:path";
import { promisify } from "node:util";
import { gitEnv } from "@gantry/git";
import { RuntimeConfig, RuntimeConfigError } from "@gantry/contract/runtime-config";
import { AppError } from "../errors.js";
import { moduleConfigFile } from "./test-cases.js";

const execFileAsync = promisify(execFile);

async function gitOut(mirror: string, args: string[], maxBuffer = 16 * 1024 * 1024): Promise<string> {
  const { stdout } = await execFileAsync("git", ["--git-dir", mirror, ...args], { env: gitEnv, maxBuffer, encoding: "utf8" });
  return stdout;
}

/** The tags whose commit is on `branch` (what a module publishes at creation). */
export async function tagsOnBranch(mirror: string, branch: string): Promise<string[]> {
  const out = await gitOut(mirror, ["tag", "--merged", `refs/heads/${branch}`]).catch(() => "");
  return out.split("\n").map((t) => t.trim()).filter(Boolean);
}

/** The tree-ish of the project root at a commit (`<sha>:<root>`, or the commit's tree). */
const treeOf = (sha: string, projectRoot: string) => (projectRoot ? `${sha}:${projectRoot.replace(/\/+$/, "")}` : `${sha}^{tree}`);

interface TreeEntry { mode: string; type: string; object: string; path: string }

async function listTree(mirror: string, sha: string, projectRoot: string): Promise<TreeEntry[]> {
  let out: string;
  try {
    out = await gitOut(mirror, ["ls-tree", "-r", "-z", "--end-of-options", treeOf(sha, projectRoot)]);
  } catch {
    throw new AppError("invalid", `the module directory ${JSON.stringify(projectRoot || ".")} does not exist at commit ${sha.slice(0, 12)}: fix the module's projectRoot or the ref`, { issues: [{ path: ["projectRoot"], message: "does not exist at this commit" }] });
  }
  return out.split("\0").filter(Boolean).map((line) => {
    const [meta = "", path = ""] = line.split("\t");
    const [mode = "", type = "", object = ""] = meta.split(" ");
    return { mode, type, object, path };
  });
}

/**
 * Checks the module directory at a commit the way terraform will use it: it must hold `.tf`
 * files at its top, and a symbolic link must not point outside it (an archive is unpacked on
 * the consumer's machine, where such a link would read or overwrite whatever it names).
 */
export async function checkModuleTree(mirror: string, sha: string, projectRoot: string): Promise<void> {
  const entries = await listTree(mirror, sha, projectRoot);
  const where = `${JSON.stringify(projectRoot || ".")} at commit ${sha.slice(0, 12)}`;
  if (!entries.some((e) => e.type === "blob" && !e.path.includes("/") && (e.path.endsWith(".tf") || e.path.endsWith(".tf.json")))) {
    throw new AppError("invalid", `the module directory ${where} has no .tf files: a module is the .tf files at the top of its projectRoot; fix projectRoot or add the files`, { issues: [{ path: ["projectRoot"], message: "has no .tf files" }] });
  }
  for (const e of entries.filter((x) => x.mode === "120000")) {
    const target = (await gitOut(mirror, ["cat-file", "blob", e.object])).trim();
    const resolved = posix.normalize(posix.join(posix.dirname(e.path), target));
    if (posix.isAbsolute(target) || resolved === ".." || resolved.startsWith("../")) {
      throw new AppError("invalid", `the symbolic link ${e.path} in ${where} points outside the module (${JSON.stringify(target)}): archives may not escape their directory; replace the link with the file`, { issues: [{ path: ["projectRoot"], message: `link ${e.path} leaves the module` }] });
    }
  }
}

/**
 * The gzipped tar of the project root at a commit (`git archive`: entries are the tree's, so no
 * `..` or absolute names). Refused above `maxBytes`, naming the limit and how to raise it.
 */
export async function archiveModule(mirror: string, sha: string, projectRoot: string, maxBytes: number): Promise<Buffer> {
  try {
    const { stdout } = await execFileAsync("git", ["--git-dir", mirror, "archive", "--format=tar.gz", "--end-of-options", treeOf(sha, projectRoot)], { env: gitEnv, maxBuffer: maxBytes, encoding: "buffer" });
    return stdout;
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
      throw new AppError("payload_too_large", `the archive of module directory ${JSON.stringify(projectRoot || ".")} at commit ${sha.slice(0, 12)} is over the registry's limit of ${maxBytes} bytes: remove large files from the module, or raise GANTRY_MODULE_ARCHIVE_MAX_BYTES`);
    }
    throw err;
  }
}

/**
 * The version named by the module's config file (`.spacelift/config.yml` in the project root,
 * as Spacelift reads it: `module_version: 1.2.3`), or null when there is none.
 */
export async function configuredVersion(mirror: string, sha: string, projectRoot: string): Promise<string | null> {
  const path = moduleConfigFile(projectRoot);
  const text = await gitOut(mirror, ["show", "--end-of-options", `${sha}:${path}`]).catch(() => null);
  if (text === null) return null;
  try {
    return RuntimeConfig.parse(text, path).moduleVersion;
  } catch (err) {
    if (!(err instanceof RuntimeConfigError)) throw err;
    throw new AppError("invalid", `${err.message} (at commit ${sha.slice(0, 12)})`);
  }
}

/** Commits and files under the project root between the previous version and this one. */
export async function changelogBetween(mirror: string, from: string | null, to: string, projectRoot: string) {
  const scope = ["--", projectRoot || "."];
  const range = from ? `${from}..${to}` : to;
  const log = await gitOut(mirror, ["log", "--format=%H%x1f%an%x1f%s", range, ...scope]).catch(() => "");
  const commits = log.split("\n").filter(Boolean).slice(0, 200).map((l) => {
    const [sha = "", author = "", message = ""] = l.split("\x1f");
    return { sha, author, message };
  });
  const files = from
    ? (await gitOut(mirror, ["diff", "--name-only", "--no-renames", from, to, ...scope]).catch(() => "")).split("\n").filter(Boolean)
    : (await gitOut(mirror, ["ls-tree", "-r", "--name-only", to, ...scope]).catch(() => "")).split("\n").filter(Boolean);
  return { commits, filesChanged: files.slice(0, 1000) };
}
