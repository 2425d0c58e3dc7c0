import type { ServerWritableStream } from "@grpc/grpc-js";
import type { Message } from "./proto.js";

/**
 * Carries what the provider writes to stdout after the handshake to Terraform through
 * go-plugin's stdio stream: after the handshake line, the real stdout belongs to go-plugin.
 * Output written before Terraform opens the stream is buffered (bounded).
 */
export class StdioForwarder {
  private stream: ServerWritableStream<Message, Message> | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Redirects `process.stdout.write` into the stdio stream (channel STDOUT). */
  captureStdout(): void {
    const write = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
      const data = typeof chunk === "string" ? Buffer.from(chunk, typeof encodingOrCallback === "string" ? (encodingOrCallback as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
      this.send(data);
      const cb = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof cb === "function") queueMicrotask(() => (cb as () => void)());
      return true;
    };
    process.stdout.write = write as typeof process.stdout.write;
  }

  /** Called when Terraform opens `plugin.GRPCStdio/StreamStdio`. */
  attach(stream: ServerWritableStream<Message, Message>): void {
    this.stream = stream;
    stream.on("cancelled", () => {
      if (this.stream === stream) this.stream = undefined;
    });
    for (const data of this.pending) stream.write({ channel: 1, data });
    this.pending = [];
    this.pendingBytes = 0;
  }

  private send(data: Buffer): void {
    if (this.stream) {
      this.stream.write({ channel: 1, data });
      return;
    }
    if (this.pendingBytes + data.length > 1024 * 1024) return;
    this.pending.push(data);
    this.pendingBytes += data.length;
  }
}
