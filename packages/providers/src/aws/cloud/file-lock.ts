import { ProvidersError } from "../../errors.js";

/** How long a lock may go without its holder refreshing it before another process takes it over. */
export const STALE_LOCK_MS = 5_000;

/**
 * Runs `fn` holding an inter-process lock on `path` (a `<path>.lock` directory made with an
 * atomic mkdir). The holder refreshes the lock's mtime while it runs; a lock left by a process
 * that died goes stale after {@link STALE_LOCK_MS} and is taken over, so a killed terraform
 * never blocks the simulated cloud for good.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  // Two levels, as in Atlantis: writers in this process queue up in memory first, so terraform's
  // parallel applies against one provider do not poll the lock directory against each other.
  return inProcessQueue(path, () => withInterProcessLock(path, fn, options));
}

const queues = new Map<string, Promise<void>>();

async function inProcessQueue<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  queues.set(path, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (queues.get(path) === tail) queues.delete(path);
  }
}

async function withInterProcessLock<T>(path: string, fn: () => Promise<T>, options: { timeoutMs?: number }): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Loaded on first use (it patches fs on load): plans that only refresh never write.
  const { default: lockfile } = await import("proper-lockfile");
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false, // the file may not exist yet
      stale: STALE_LOCK_MS,
      update: STALE_LOCK_MS / 2,
      // Enough short, randomised retries to cover timeoutMs of contention.
      retries: { retries: Math.ceil(timeoutMs / 25), factor: 1.2, minTimeout: 5, maxTimeout: 50, randomize: true },
      // The default throws from a timer (crashing the provider); a compromised lock only means a
      // slow holder lost it, and the next write still goes through an atomic rename.
      onCompromised: (err) => process.stderr.write(`warning: simulated cloud lock on ${path} was compromised: ${err.message}\n`),
    });
  } catch (err) {
    throw new ProvidersError("cloud_store", `locking simulated cloud file ${path} failed: another run holds it; retry later`, { cause: err });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
