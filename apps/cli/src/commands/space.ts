import type { CreateSpace, Space, UpdateSpace } from "@gantry/contract";
import type { Command } from "commander";
import { addBodyFlags, bodyFromFlags, type BodyFlag } from "../flags.js";
import { list, orDash, printDone, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const fields: BodyFlag[] = [
  { field: "id", flag: "id", kind: "string", description: "slug id (default: from the name)", createOnly: true },
  { field: "name", flag: "name", kind: "string", description: "display name" },
  { field: "description", flag: "description", kind: "string", description: "description" },
  { field: "parentSpaceId", flag: "parent", kind: "string", description: "parent space id (default: root)" },
  { field: "inheritEntities", flag: "inherit", kind: "boolean", description: "let stacks use the parent's contexts, policies and integrations" },
  { field: "labels", flag: "label", kind: "list", description: "label (replaces all labels on update)" },
];

const columns: Column<Space>[] = [
  { header: "id", value: (s) => s.id },
  { header: "name", value: (s) => s.name },
  { header: "parent", value: (s) => orDash(s.parentSpaceId) },
  { header: "inherit", value: (s) => yesNo(s.inheritEntities) },
  { header: "labels", value: (s) => list(s.labels) },
];

const details: Column<Space>[] = [
  ...columns,
  { header: "description", value: (s) => orDash(s.description) },
  { header: "created", value: (s) => s.createdAt },
  { header: "updated", value: (s) => s.updatedAt },
];

/** `gantry space list|show|create|update|delete`. */
export function spaceCommand(rt: Runtime, program: Command): void {
  const space = program.command("space").description("manage spaces: the tree that carries access rights");

  space.command("list").description("list the spaces you can read").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, await s.api.all("listSpaces"), columns, "no spaces");
  });

  space.command("show <id>").description("show one space").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getSpace", { params: { id } }), details);
  });

  addBodyFlags(space.command("create").description("create a space (admin on the parent)"), fields, true).action(async (o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    const created = await s.api.call("createSpace", { body: bodyFromFlags<CreateSpace>(o, fields) });
    printOne(s.p, s.format, created, details);
  });

  addBodyFlags(space.command("update <id>").description("update or move a space"), fields, false).action(async (id: string, o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("updateSpace", { params: { id }, body: bodyFromFlags<UpdateSpace>(o, fields) }), details);
  });

  space.command("delete <id>").description("delete an empty space").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteSpace", { params: { id } });
    printDone(s.p, s.format, `space ${id} deleted`, { deleted: { kind: "space", id } });
  });
}
