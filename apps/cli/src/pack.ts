import { existsSync, lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, posix } from "node:path";
import ignore, { type Ignore } from "ignore";
import { create } from "tar";
import { CliError } from "./errors.js";

/** What Terraform leaves out of uploads when no `.terraformignore` says otherwise, and git's own directory. */
const alwaysIgnored = [".git/", ".terraform/"];

interface Rules {
  /** The directory (relative to the root, posix, "" for the root) whose `.gitignore` these are. */
  base: string;
  rules: Ignore;
}

function readRules(file: string): Ignore | undefined {
  return existsSync(file) ? ignore().add(readFileSync(file, "utf8")) : undefined;
}

/**
 * The files of `root` a local preview uploads: everything but what `.gitignore` files (at any
 * depth, each for its own directory) and the root's `.terraformignore` exclude, and `.git/` and
 * `.terraform/`. Paths are relative and posix, in a stable order.
 */
export function filesToUpload(root: string): string[] {
  const top = ignore().add(alwaysIgnored);
  const terraformIgnore = join(root, ".terraformignore");
  if (existsSync(terraformIgnore)) top.add(readFileSync(terraformIgnore, "utf8"));
  const out: string[] = [];
  const walk = (dir: string, inherited: Rules[]) => {
    const gitignore = readRules(join(root, dir, ".gitignore"));
    const rules = gitignore ? [...inherited, { base: dir, rules: gitignore }] : inherited;
    const ignored = (path: string, isDir: boolean) => {
      const probe = isDir ? `${path}/` : path;
      if (top.ignores(probe)) return true;
      return rules.some((r) => r.rules.ignores(r.base ? posix.relative(r.base, probe) + (isDir ? "/" : "") : probe));
    };
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = dir ? `${dir}/${name}` : name;
      const stat = lstatSync(join(root, path));
      if (ignored(path, stat.isDirectory())) continue;
      if (stat.isDirectory()) walk(path, rules);
      else if (stat.isFile() || stat.isSymbolicLink()) out.push(path);
    }
  };
  walk("", []);
  return out;
}

/** A gzipped tar of the files {@link filesToUpload} picks, with portable headers (no owner names or times that vary). */
export async function packDirectory(root: string): Promise<{ archive: Buffer; files: number }> {
  const files = filesToUpload(root);
  if (files.length === 0) throw new CliError("usage", `nothing to upload in ${root}: every file is ignored (.gitignore, .terraformignore) or the directory is empty`);
  const chunks: Buffer[] = [];
  const stream = create({ gzip: true, cwd: root, portable: true, follow: false, noDirRecurse: true }, files);
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return { archive: Buffer.concat(chunks), files: files.length };
}
