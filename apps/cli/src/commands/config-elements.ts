import { readFileSync } from "node:fs";
import type { EnvironmentVariable, MountedFile } from "@gantry/contract";
import type { Command } from "commander";
import { usageError } from "../errors.js";
import { printDone, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

/** The config-element endpoints of each owner; stacks and contexts share their shapes. */
const endpointNames = {
  stack: { config: "stackConfig", putVariable: "putStackVariable", deleteVariable: "deleteStackVariable", putFile: "putStackFile", deleteFile: "deleteStackFile" },
  context: { config: "contextConfig", putVariable: "putContextVariable", deleteVariable: "deleteContextVariable", putFile: "putContextFile", deleteFile: "deleteContextFile" },
} as const;

/** A write-only value is never returned: the table shows that it is set, and its checksum. */
const variableColumns: Column<EnvironmentVariable>[] = [
  { header: "name", value: (v) => v.name },
  { header: "value", value: (v) => (v.writeOnly ? "(write-only)" : (v.value ?? "")) },
  { header: "write-only", value: (v) => yesNo(v.writeOnly) },
  { header: "checksum", value: (v) => v.checksum.slice(0, 12) },
  { header: "updated", value: (v) => v.updatedAt },
];

const fileColumns: Column<MountedFile>[] = [
  { header: "path", value: (f) => f.relativePath },
  { header: "size", value: (f) => (f.content == null ? "(write-only)" : `${Buffer.from(f.content, "base64").length} B`) },
  { header: "write-only", value: (f) => yesNo(f.writeOnly) },
  { header: "checksum", value: (f) => f.checksum.slice(0, 12) },
  { header: "updated", value: (f) => f.updatedAt },
];

/**
 * `gantry <owner> var set|delete|list` and `gantry <owner> file set|delete|list`. A variable's
 * value comes from the argument or, when left out, from stdin, so secrets need not appear in the
 * shell history or the process list.
 */
export function configElementCommands(rt: Runtime, parent: Command, owner: keyof typeof endpointNames): void {
  const names = endpointNames[owner];

  const vars = parent.command("var").description(`manage the environment variables of a ${owner}`);
  vars.command("list <id>").description("list the variables (write-only values are never shown)").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const config = await s.api.call(names.config, { params: { id } });
    printList(s.p, s.format, config.variables, variableColumns, "no variables");
  });
  vars
    .command("set <id> <name> [value]")
    .description("set a variable; without a value, it is prompted for (or read from piped stdin)")
    .option("--write-only", "store it write-only (a secret: never returned, masked in logs)")
    .action(async (id: string, name: string, value: string | undefined, o: { writeOnly?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      // At a terminal, ask without echo; from a pipe, take all of it (values may span lines).
      const v = value ?? (rt.stdinIsTTY ? await rt.promptSecret(`value of ${name}: `) : (await rt.readStdin()).replace(/\r?\n$/, ""));
      const saved = await s.api.call(names.putVariable, { params: { id, name }, body: { value: v, writeOnly: o.writeOnly ?? false } });
      printOne(s.p, s.format, saved, variableColumns);
    });
  vars.command("delete <id> <name>").description("delete a variable").action(async (id: string, name: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call(names.deleteVariable, { params: { id, name } });
    printDone(s.p, s.format, `variable ${name} deleted from ${owner} ${id}`, { deleted: { kind: "variable", owner, id, name } });
  });

  const files = parent.command("file").description(`manage the files mounted into the runs of a ${owner}`);
  files.command("list <id>").description("list the mounted files").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const config = await s.api.call(names.config, { params: { id } });
    printList(s.p, s.format, config.files, fileColumns, "no mounted files");
  });
  files
    .command("set <id> <relative-path> <local-file>")
    .description("mount the content of a local file at relative-path in the workspace")
    .option("--write-only", "store it write-only (never returned)")
    .action(async (id: string, relativePath: string, localFile: string, o: { writeOnly?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      let content: Buffer;
      try {
        content = readFileSync(localFile);
      } catch (err) {
        throw usageError(`cannot read ${localFile}: ${(err as Error).message}`);
      }
      const body = { relativePath, content: content.toString("base64"), writeOnly: o.writeOnly ?? false };
      printOne(s.p, s.format, await s.api.call(names.putFile, { params: { id }, body }), fileColumns);
    });
  files.command("delete <id> <relative-path>").description("delete a mounted file").action(async (id: string, path: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call(names.deleteFile, { params: { id }, query: { path } });
    printDone(s.p, s.format, `file ${path} deleted from ${owner} ${id}`, { deleted: { kind: "file", owner, id, relativePath: path } });
  });
}
