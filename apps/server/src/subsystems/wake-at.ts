import type { PeriodicSubsystem } from "./periodic.js";

/**
 * Wakes a periodic subsystem when its next piece of work is due, so a schedule fires on time
 * instead of on the next polling tick. Each call replaces the previous alarm. `capMs` bounds the
 * wait, so work made due on another replica (which cannot wake this one) is noticed within it.
 */
export function alarm(target: () => PeriodicSubsystem) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    set(delayMs: number, capMs: number): void {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => target().wake(), Math.max(0, Math.min(delayMs, capMs)));
      timer.unref();
    },
    clear(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
