#!/usr/bin/env node
/** The `gantry` command: maps every failure to one message and one exit code. */
import { GantryApiError } from "@gantry/contract";
import { CommanderError } from "commander";
import { CliError, exitCodes } from "./errors.js";
import { fromApiError } from "./output.js";
import { buildProgram } from "./program.js";
import { unknownCommand } from "./unknown-command.js";
import { promptSecret, readStdin } from "./prompt.js";
import type { Runtime } from "./runtime.js";

// `gantry stack list | head` closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

const rt: Runtime = {
  env: process.env,
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text + "\n"),
  err: (text) => process.stderr.write(text + "\n"),
  promptSecret,
  readStdin,
  stdinIsTTY: Boolean(process.stdin.isTTY),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** The exit code for anything a command threw, after printing it. */
function report(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed the problem (or the help text).
    return err.exitCode === 0 ? 0 : exitCodes.usage;
  }
  const e = err instanceof GantryApiError ? fromApiError(err) : err;
  if (e instanceof CliError) {
    rt.err(`error: ${e.message}`);
    for (const line of e.lines) rt.err(line);
    return e.exitCode;
  }
  rt.err(`error: ${(e as Error).stack ?? String(e)}`);
  return 1;
}

try {
  const program = buildProgram(rt);
  // Without --help commander itself refuses an unknown command with exit 2.
  const args = process.argv.slice(2);
  const unknown = args.some((a) => a === "--help" || a === "-h") ? unknownCommand(program, args) : undefined;
  if (unknown) {
    const where = unknown.group === program ? "gantry" : `gantry ${unknown.group.name()}`;
    throw new CliError("usage", `unknown command '${unknown.name}' for '${where}': see ${where} --help for the commands`);
  }
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}
