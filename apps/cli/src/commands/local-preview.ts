import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { CliError } from "../errors.js";
import { packDirectory } from "../pack.js";
import { printOne } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { followRun } from "./run.js";

/**
 * `gantry stack local-preview <stack>`: plans uncommitted code. The directory (the repository
 * root, so the stack's projectRoot applies as usual) is packed without what `.gitignore` and
 * `.terraformignore` exclude, uploaded, and planned as a proposed run whose logs are streamed.
 */
export function localPreviewCommand(rt: Runtime, program: Command): void {
  const stack = program.commands.find((c) => c.name() === "stack");
  if (!stack) throw new Error("the stack command must be registered before local-preview");
  stack
    .command("local-preview <stack>")
    .description("plan the code in a local directory as a proposed run of the stack (stacks with enableLocalPreview)")
    .option("--dir <path>", "the repository root to upload (default: the current directory)")
    .option("-m, --message <text>", "a note shown as the run's commit message")
    .option("--no-follow", "print the run and return instead of streaming its logs")
    .action(async (id: string, o: { dir?: string; message?: string; follow: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const dir = resolve(o.dir ?? process.cwd());
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError("usage", `--dir ${JSON.stringify(o.dir)} is not a directory`);
      const { archive, files } = await packDirectory(dir);
      if (s.format !== "json") s.p.err(`uploading ${files} files (${Math.ceil(archive.length / 1024)} KiB) from ${dir}`);
      const created = await s.api.call("createLocalPreview", { params: { id }, body: { archiveBase64: archive.toString("base64"), message: o.message } });
      if (!o.follow) return printOne(s.p, s.format, created, [{ header: "id", value: (r) => r.id }, { header: "state", value: (r) => r.state }]);
      await followRun(s, created);
    });
}
