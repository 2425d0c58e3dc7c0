/** How failed logins slow down further attempts at the same account. */
export interface ThrottleSettings {
  /** Failures allowed before attempts are delayed. */
  freeFailures: number;
  /** The first delay; each further failure doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A record with no failure for this long is forgotten. */
  forgetAfterMs: number;
  /** Accounts tracked at most (the oldest record goes first), so guessing names cannot exhaust memory. */
  maxTracked: number;
}

export const defaultThrottle: ThrottleSettings = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 15 * 60_000, maxTracked: 10_000 };

interface Record_ {
  failures: number;
  lastFailureAt: number;
}

/**
 * Slows password guessing per username: after a few failures, every further attempt at that
 * account (right password or not) must wait an exponentially growing delay, capped so an
 * attacker cannot lock a person out for long. Kept in memory per server replica: a guesser
 * spreading attempts over replicas gets at most one allowance per replica.
 */
export class LoginThrottle {
  private readonly records = new Map<string, Record_>();

  constructor(
    private readonly settings: ThrottleSettings = defaultThrottle,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Milliseconds the caller must still wait before trying `username` again; 0 when it may try now. */
  waitFor(username: string): number {
    const r = this.current(username);
    if (!r || r.failures < this.settings.freeFailures) return 0;
    const delay = Math.min(this.settings.baseDelayMs * 2 ** (r.failures - this.settings.freeFailures), this.settings.maxDelayMs);
    return Math.max(0, r.lastFailureAt + delay - this.clock());
  }

  failed(username: string): void {
    const key = username.toLowerCase();
    const r = this.current(username) ?? { failures: 0, lastFailureAt: 0 };
    this.records.delete(key);
    this.records.set(key, { failures: r.failures + 1, lastFailureAt: this.clock() });
    if (this.records.size > this.settings.maxTracked) this.records.delete(this.records.keys().next().value!);
  }

  succeeded(username: string): void {
    this.records.delete(username.toLowerCase());
  }

  private current(username: string): Record_ | undefined {
    const key = username.toLowerCase();
    const r = this.records.get(key);
    if (r && this.clock() - r.lastFailureAt > this.settings.forgetAfterMs) {
      this.records.delete(key);
      return undefined;
    }
    return r;
  }
}
