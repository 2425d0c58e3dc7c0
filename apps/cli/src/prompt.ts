import { createInterface } from "node:readline";
import { Writable } from "node:stream";

/**
 * Asks for a secret on the terminal without echoing it. When stdin is not a terminal (a pipe in
 * a script), the first line of stdin is the answer.
 */
export async function promptSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) return (await readStdin()).split(/\r?\n/)[0] ?? "";
  process.stderr.write(question);
  // Echo nothing the person types; the question went out above.
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question("", resolve));
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/** The whole of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}
