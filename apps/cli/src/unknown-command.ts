import type { Command } from "commander";

/**
 * The unknown command in `args` (the arguments after `gantry`), if any, with the command group it
 * was looked up in. Commander prints the group's help and exits 0 for `gantry stak --help`
 * because it handles `--help` before it notices the unknown command; scripts must be able to
 * tell a missing command from a present one, so `main` checks first.
 */
export function unknownCommand(program: Command, args: readonly string[]): { name: string; group: Command } | undefined {
  let cmd = program;
  const withValue = (c: Command, token: string) => c.options.some((o) => (o.long === token || o.short === token) && (o.required || o.optional));
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === "--") return undefined;
    if (token.startsWith("-")) {
      // An option's value is not a command name: `gantry -o json stack list`.
      if (!token.includes("=") && [cmd, program].some((c) => withValue(c, token))) i++;
      continue;
    }
    if (cmd.commands.length === 0) return undefined;
    const sub = cmd.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (!sub) return cmd.registeredArguments.length > 0 ? undefined : { name: token, group: cmd };
    cmd = sub;
  }
  return undefined;
}
