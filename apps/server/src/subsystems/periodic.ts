import pino from "pino";
import { sleep, type Subsystem, type SubsystemContext } from "./subsystem.js";

/** The longest delay a Node.js timer takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const silent = pino({ level: "silent" });

/** A subsystem that runs one round every `intervalMs`, and at once when woken. */
export interface PeriodicSubsystem extends Subsystem {
  /** Asks for a round now (an event made work due). Rounds never overlap. */
  wake(): void;
  /**
   * Runs one round now in this process and resolves when it is done, for tests and for callers
   * that need the result before answering. Shares the in-flight round if one is running.
   */
  runNow(): Promise<void>;
}

export interface PeriodicOptions {
  name: string;
  mode: Subsystem["mode"];
  /** Time between rounds; 0 runs rounds only when woken. */
  intervalMs: number;
  /** One round. A throw is logged by the runner, which restarts the subsystem after a backoff. */
  round(ctx: SubsystemContext): Promise<void>;
}

/**
 * Builds a periodic subsystem: the shape of most background work (reap, poll, fire due
 * schedules, deliver the outbox). A round that throws ends `run`, so the runner's backoff and
 * restart apply to it like to any other subsystem.
 */
export function periodic(opts: PeriodicOptions): PeriodicSubsystem {
  let inFlight: Promise<void> | null = null;
  let woken: (() => void) | null = null;
  let pending = false;
  let lastCtx: SubsystemContext | null = null;

  const once = (ctx: SubsystemContext): Promise<void> => {
    inFlight ??= opts.round(ctx).finally(() => (inFlight = null));
    return inFlight;
  };

  return {
    name: opts.name,
    mode: opts.mode,
    async run(ctx) {
      lastCtx = ctx;
      while (!ctx.signal.aborted) {
        pending = false;
        await once(ctx);
        if (ctx.signal.aborted || pending) continue;
        // Wait for the interval, a wake-up or shutdown; the timer and listeners go with the wait.
        const tick = new AbortController();
        woken = () => tick.abort();
        await sleep(opts.intervalMs > 0 ? opts.intervalMs : MAX_TIMER_MS, AbortSignal.any([ctx.signal, tick.signal]));
        woken = null;
      }
    },
    wake() {
      pending = true;
      woken?.();
    },
    runNow() {
      return once(lastCtx ?? { signal: new AbortController().signal, log: silent });
    },
  };
}
