import type { Context, CreateContext, UpdateContext } from "@gantry/contract";
import type { Command } from "commander";
import { addBodyFlags, bodyFromFlags, type BodyFlag } from "../flags.js";
import { list, orDash, printDone, printList, printOne, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { configElementCommands } from "./config-elements.js";
import { hooksDetails } from "./hooks.js";

const fields: BodyFlag[] = [
  { field: "id", flag: "id", kind: "string", description: "slug id (default: from the name)", createOnly: true },
  { field: "name", flag: "name", kind: "string", description: "display name" },
  { field: "description", flag: "description", kind: "string", description: "description" },
  { field: "spaceId", flag: "space", kind: "string", description: "space id (default: root)" },
  { field: "labels", flag: "label", kind: "list", description: "label, e.g. autoattach:team:app (replaces all labels on update)" },
  { field: "hooks", flag: "hook", kind: "hooks", description: "hook command; replaces all hooks on update" },
];

const columns: Column<Context>[] = [
  { header: "id", value: (c) => c.id },
  { header: "name", value: (c) => c.name },
  { header: "space", value: (c) => c.spaceId },
  { header: "labels", value: (c) => list(c.labels) },
];

const details: Column<Context>[] = [
  ...columns,
  { header: "description", value: (c) => orDash(c.description) },
  { header: "hooks", value: (c) => hooksDetails(c.hooks) },
  { header: "created", value: (c) => c.createdAt },
  { header: "updated", value: (c) => c.updatedAt },
];

/** `gantry context ...`: CRUD plus variables and mounted files. */
export function contextCommand(rt: Runtime, program: Command): void {
  const context = program.command("context").description("manage contexts: shared variables, files and hooks");

  context.command("list").description("list the contexts you can read").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, await s.api.all("listContexts"), columns, "no contexts");
  });

  context.command("show <id>").description("show one context").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getContext", { params: { id } }), details);
  });

  addBodyFlags(context.command("create").description("create a context (admin on its space)"), fields, true).action(async (o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("createContext", { body: bodyFromFlags<CreateContext>(o, fields) }), details);
  });

  addBodyFlags(context.command("update <id>").description("update a context (only the given fields change)"), fields, false).action(async (id: string, o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("updateContext", { params: { id }, body: bodyFromFlags<UpdateContext>(o, fields) }), details);
  });

  context.command("delete <id>").description("delete a context and its attachments").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteContext", { params: { id } });
    printDone(s.p, s.format, `context ${id} deleted`, { deleted: { kind: "context", id } });
  });

  configElementCommands(rt, context, "context");
}
