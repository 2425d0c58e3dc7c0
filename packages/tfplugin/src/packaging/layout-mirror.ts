import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Options for {@link layoutMirror}. */
export interface LayoutMirrorOptions {
  /** Root of the filesystem mirror (`provider_installation { filesystem_mirror { path = ... } }`). */
  readonly mirrorDir: string;
  /** e.g. `gantry.dev` */
  readonly host: string;
  /** e.g. `sim` */
  readonly namespace: string;
  /** e.g. `aws` */
  readonly name: string;
  /** e.g. `0.1.0` */
  readonly version: string;
  /** The built provider file to install. */
  readonly binary: string;
  /** Platform directory, default `linux_amd64`. */
  readonly platform?: string;
}

/**
 * Copies a provider binary into Terraform's unpacked filesystem-mirror layout:
 * `<mirror>/<host>/<namespace>/<name>/<version>/<platform>/terraform-provider-<name>_v<version>`.
 * Also writes `<mirror>/package.json` saying `commonjs`: terraform runs providers through a
 * symlink into the mirror, and a mirror inside a `"type": "module"` package would otherwise make
 * node load the bundle as an ES module, which starts slower. Terraform ignores the file.
 * Returns the installed path.
 */
export async function layoutMirror(options: LayoutMirrorOptions): Promise<string> {
  const dir = join(options.mirrorDir, options.host, options.namespace, options.name, options.version, options.platform ?? "linux_amd64");
  await mkdir(dir, { recursive: true });
  const target = join(dir, `terraform-provider-${options.name}_v${options.version}`);
  await writeFile(join(options.mirrorDir, "package.json"), '{ "type": "commonjs" }\n');
  await copyFile(options.binary, target);
  await chmod(target, 0o755);
  return target;
}
