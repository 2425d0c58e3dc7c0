import type { GantryClient } from "@gantry/contract";
import type { Command } from "commander";
import { clientFor, resolveConnection, type Connection } from "./config.js";
import type { OutputFormat, Printer } from "./output.js";

/** What commands may touch of the outside world; `main` builds it from the process. */
export interface Runtime extends Printer {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Reads a secret: from the terminal without echo, or the first line of piped stdin. */
  promptSecret(question: string): Promise<string>;
  readStdin(): Promise<string>;
  /** Whether stdin is a terminal (a person typing) rather than a pipe or file. */
  stdinIsTTY: boolean;
  /** Sets the exit status for outcomes that are results, not errors (a failing policy test). */
  setExitCode(code: number): void;
}

/** The global options every command sees. */
export interface GlobalOptions {
  output: OutputFormat;
  profile?: string;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** A client command's view: its API client, output format and printer. */
export interface Session {
  api: GantryClient;
  format: OutputFormat;
  conn: Connection;
  p: Printer;
}

/** Connects lazily, so `--help` and usage errors never need a configured server. */
export function session(rt: Runtime, cmd: Command): Session {
  const g = globalOptions(cmd);
  const conn = resolveConnection({ env: rt.env, profile: g.profile });
  return { api: clientFor(conn), format: g.output, conn, p: rt };
}
