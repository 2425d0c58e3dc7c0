import { ServerRefusal, type WorkerApi } from "./client.js";
import { Masker } from "./masker.js";

const FLUSH_MS = 100;
const MAX_BATCH = 256 * 1024;

/**
 * A run's log: every byte passes the masker first, then is batched (at most every 100 ms or
 * 256 KiB) and appended on the server in order, one request at a time.
 */
export class LogSink {
  readonly masker: Masker;
  private buffer = "";
  private phase = "preparing";
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Milliseconds since the epoch of the last output, for the no-output timeout. */
  lastOutputAt = Date.now();

  constructor(
    private readonly api: WorkerApi,
    private readonly runId: string,
    private readonly runToken: string,
    secrets: string[],
    /** Called when the server refuses the log because the run ended there (stopped): faster than a heartbeat. */
    private readonly onClosed: () => void = () => undefined,
  ) {
    this.masker = new Masker(secrets);
  }

  /** Starts a new phase: what was written so far is sent under the previous one. */
  setPhase(phase: string): void {
    if (phase === this.phase) return;
    this.write(this.masker.flush(), true);
    this.send();
    this.phase = phase;
  }

  /** Raw output of a process or a message of the worker. */
  write(text: string, masked = false): void {
    this.lastOutputAt = Date.now();
    this.buffer += masked ? text : this.masker.push(text);
    if (this.buffer.length >= MAX_BATCH) this.send();
    else if (!this.timer && this.buffer) this.timer = setTimeout(() => this.send(), FLUSH_MS);
  }

  /** A line from the worker itself. */
  info(line: string): void {
    this.write(`[gantry] ${line}\n`);
  }

  /** Sends everything, including text held back by the masker; resolves when the server has it. */
  async close(): Promise<void> {
    this.write(this.masker.flush(), true);
    this.send();
    await this.chain;
  }

  /**
   * Hands over the text not sent yet (including what the masker held back), once every batch
   * sent before it has landed, so the caller can carry it in its report: one round trip instead
   * of two at the moments a report may close the log.
   */
  async take(): Promise<{ phase: string; text: string } | undefined> {
    this.write(this.masker.flush(), true);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    const text = this.buffer;
    this.buffer = "";
    return text ? { phase: this.phase, text } : undefined;
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.buffer) return;
    const text = this.buffer;
    const phase = this.phase;
    this.buffer = "";
    this.chain = this.chain.then(() =>
      this.api.call("appendLogs", { params: { id: this.runId }, body: { phase, text } }, this.runToken).then(
        () => undefined,
        (err: unknown) => {
          // A closed log (stopped run) must not fail the run's cleanup, but it ends the run here too.
          if (err instanceof ServerRefusal && (err.status === 401 || err.status === 409)) this.onClosed();
        },
      ),
    );
  }
}
