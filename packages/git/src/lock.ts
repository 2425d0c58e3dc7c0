/** Per-key promise chains: work on one mirror happens one after the other within a process. */
const locks = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key has settled. */
export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  locks.set(key, tail);
  // Forget the key once nothing is queued behind this call, so the map does not grow forever.
  void tail.then(() => {
    if (locks.get(key) === tail) locks.delete(key);
  });
  return next;
}
