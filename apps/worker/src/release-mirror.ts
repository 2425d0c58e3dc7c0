import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { WorkerError } from "./errors.js";

const run = promisify(execFile);

/** One download per binary version at a time, even with several runs asking at once. */
const inFlight = new Map<string, Promise<string>>();

async function fetchOk(url: string, what: string): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new WorkerError("binary", `cannot reach the release mirror for ${what} (${url}): ${String((err as Error).cause ?? (err as Error).message)}`);
  }
  if (!res.ok) throw new WorkerError("binary", `${what} is not on the release mirror: ${url} answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Downloads `name` `version` for linux_amd64 from a mirror laid out like releases.hashicorp.com
 * (`<mirror>/<name>/<version>/<name>_<version>_linux_amd64.zip` next to
 * `<name>_<version>_SHA256SUMS`), checks the zip's SHA-256 against the sums file, and unpacks
 * the binary to `<toolsDir>/<name>/<version>/<name>`. Returns its path.
 */
export function downloadBinary(mirrorUrl: string, name: string, version: string, toolsDir: string): Promise<string> {
  const key = `${name}@${version}`;
  let p = inFlight.get(key);
  if (!p) {
    p = download(mirrorUrl.replace(/\/+$/, ""), name, version, toolsDir).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}

async function download(mirror: string, name: string, version: string, toolsDir: string): Promise<string> {
  const final = join(toolsDir, name, version, name);
  if (existsSync(final)) return final;
  const zipName = `${name}_${version}_linux_amd64.zip`;
  const base = `${mirror}/${name}/${version}`;
  const what = `${name} ${version}`;
  const sums = (await fetchOk(`${base}/${name}_${version}_SHA256SUMS`, `the checksum file of ${what}`)).toString("utf8");
  const expected = sums.split("\n").map((l) => l.trim().split(/\s+/)).find(([, file]) => file === zipName)?.[0];
  if (!expected) throw new WorkerError("binary", `the release mirror's checksum file for ${what} has no entry for ${zipName}`);
  const zip = await fetchOk(`${base}/${zipName}`, what);
  const actual = createHash("sha256").update(zip).digest("hex");
  if (actual !== expected) throw new WorkerError("binary", `the SHA-256 of ${zipName} from the release mirror is ${actual}, not ${expected} as its checksum file says: the download is corrupt or was tampered with`);
  mkdirSync(join(toolsDir, name, version), { recursive: true });
  const tmp = mkdtempSync(join(toolsDir, name, `.download-${version}-`));
  try {
    writeFileSync(join(tmp, zipName), zip);
    await run("unzip", ["-o", "-q", join(tmp, zipName), name, "-d", tmp]).catch((err: unknown) => {
      throw new WorkerError("binary", `unpacking ${zipName} failed (it must contain ${name}): ${String((err as { stderr?: string }).stderr ?? err).trim()}`);
    });
    chmodSync(join(tmp, name), 0o755);
    renameSync(join(tmp, name), final);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return final;
}
