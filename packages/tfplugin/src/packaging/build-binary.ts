import { createHash } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { build } from "esbuild";
import { TfPluginError } from "../errors.js";
import { CODE_CACHE_STUB } from "./code-cache-stub.js";

/** Options for {@link buildProviderBinary}. */
export interface BuildProviderBinaryOptions {
  /** Entry file that calls `serve(provider)`. */
  readonly entry: string;
  /** Output file (made executable). */
  readonly outFile: string;
  /** Minify (default true: smaller files parse faster). */
  readonly minify?: boolean;
}

/**
 * Bundles a provider into one executable JavaScript file with a `#!/usr/bin/env node` shebang.
 * The bundle is CommonJS (faster to load than an ES module graph) inside a launcher that runs
 * as either module kind and keeps a V8 code cache outside the file (see code-cache-stub.ts);
 * everything is inlined, so the file runs from any directory. The same sources always give
 * the same bytes, so Terraform lock files stay valid across rebuilds.
 */
export async function buildProviderBinary(options: BuildProviderBinaryOptions): Promise<void> {
  await mkdir(dirname(options.outFile), { recursive: true });
  let source: string;
  try {
    const result = await build({
      entryPoints: [options.entry],
      write: false,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      minify: options.minify ?? true,
      legalComments: "none",
      logLevel: "silent",
    });
    source = result.outputFiles[0]?.text ?? "";
  } catch (error) {
    throw new TfPluginError("packaging", `bundling ${options.entry} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const sourceId = createHash("sha256").update(source).digest("hex").slice(0, 32);
  const launcher = CODE_CACHE_STUB.replace("__SOURCE__", () => JSON.stringify(source)).replace("__SOURCE_ID__", () => JSON.stringify(sourceId));
  await writeFile(options.outFile, "#!/usr/bin/env node\n" + launcher);
  await chmod(options.outFile, 0o755);
}
