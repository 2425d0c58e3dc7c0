import { existsSync, readdirSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { WorkerError } from "../errors.js";

/** Source address of Gantry's own provider; users' code names it in `required_providers`. */
export const GANTRY_PROVIDER_SOURCE = "gantry.dev/gantry/gantry";

/** Terraform's name for this machine's platform (`linux_amd64`, `darwin_arm64`, ...). */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  return `${process.platform}_${arch[process.arch] ?? process.arch}`;
}

/**
 * The filesystem mirror `npm run build` (and so `gantry up` on first use) lays out in the
 * providers package: `packages/providers/dist/mirror`. Found through module resolution, so it
 * works from the TypeScript sources and from the bundled CLI alike.
 */
export function defaultProviderMirror(): string | undefined {
  try {
    const entry = realpathSync(createRequire(import.meta.url).resolve("@gantry/providers"));
    return join(dirname(entry), "..", "dist", "mirror");
  } catch {
    return undefined;
  }
}

/** The installed Gantry provider inside a mirror: its version and executable. */
export interface MirroredProvider {
  version: string;
  binary: string;
}

/**
 * A provider in a filesystem mirror (`<mirror>/<host>/<namespace>/<type>/<version>/<platform>/`):
 * the highest version built for this platform, or undefined when there is none.
 */
export function findMirroredProvider(mirrorDir: string, source: string): MirroredProvider | undefined {
  const base = join(mirrorDir, ...source.split("/"));
  const type = source.split("/").at(-1)!;
  const platform = terraformPlatform();
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, platform, `terraform-provider-${type}_v${v}`))) : [];
  const version = versions.sort(compareVersions).at(-1);
  return version ? { version, binary: join(base, version, platform, `terraform-provider-${type}_v${version}`) } : undefined;
}

/**
 * Finds the Gantry provider in a filesystem mirror (the highest version built for this
 * platform). Fails with what to do when the mirror or the provider is missing.
 */
export function findGantryProvider(mirrorDir: string | undefined): MirroredProvider {
  const hint = "build it with `npm run build` (gantry up does on first use) or point the worker at a mirror with GANTRY_PROVIDER_MIRROR";
  if (!mirrorDir) throw new WorkerError("provider", `administrative runs need the Gantry provider's filesystem mirror, and none was found: ${hint}`);
  const found = findMirroredProvider(mirrorDir, GANTRY_PROVIDER_SOURCE);
  if (!found) throw new WorkerError("provider", `the Gantry provider for ${terraformPlatform()} is not in the mirror ${mirrorDir}: ${hint}`);
  return found;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number(p));
  const pb = b.split(/[.-]/).map((p) => Number(p));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.localeCompare(b);
}
