import { mkdirSync } from "node:fs";

/**
 * The worker's shared provider plugin cache (`plugin_cache_dir`): a provider is unpacked once per
 * worker, not once per run. Terraform does not promise the cache is safe for concurrent inits, so
 * inits that use it take turns within the worker (plan, apply and the rest run side by side);
 * each worker has its own cache directory (`<work dir>/plugin-cache`).
 */
export class PluginCache {
  readonly dir: string;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(this.dir, { recursive: true });
  }

  /** The CLI config line that turns the cache on. */
  cliConfig(): string {
    return `plugin_cache_dir = ${JSON.stringify(this.dir)}\n`;
  }

  /** Runs `fn` (a terraform init) when no other init of this worker is using the cache. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

const caches = new Map<string, PluginCache>();

/** One cache (and one turn-taking queue) per cache directory in this process. */
export function pluginCacheFor(dir: string): PluginCache {
  let c = caches.get(dir);
  if (!c) caches.set(dir, (c = new PluginCache(dir)));
  return c;
}
