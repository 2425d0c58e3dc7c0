import type { Attachment } from "@gantry/contract";
import type { Command } from "commander";
import { parseIntArg } from "../flags.js";
import { printDone, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const columns: Column<Attachment>[] = [
  { header: "kind", value: (a) => a.kind },
  { header: "id", value: (a) => a.entityId },
  { header: "priority", value: (a) => (a.kind === "context" ? String(a.priority) : "-") },
  { header: "read", value: (a) => (a.kind === "aws_integration" ? yesNo(a.read) : "-") },
  { header: "write", value: (a) => (a.kind === "aws_integration" ? yesNo(a.write) : "-") },
  { header: "attached", value: (a) => a.createdAt },
];

/** `gantry stack attach|detach context|policy|aws-integration` and `gantry stack attachments`. */
export function stackAttachCommands(rt: Runtime, stack: Command): void {
  stack.command("attachments <stack>").description("list the direct attachments of a stack (see explain for everything that applies)").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listStackAttachments", { params: { id } })).items, columns, "no direct attachments");
  });

  const attach = stack.command("attach").description("attach a context, policy or integration to a stack");
  attach
    .command("context <stack> <context>")
    .description("attach a context with a priority (0 wins)")
    .option("--priority <n>", "precedence among the stack's contexts, 0 is the highest", parseIntArg)
    .action(async (id: string, entityId: string, o: { priority?: number }, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("attachContext", { params: { id, entityId }, body: { priority: o.priority } }), columns);
    });
  attach.command("policy <stack> <policy>").description("attach a policy").action(async (id: string, entityId: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("attachPolicy", { params: { id, entityId } }), columns);
  });
  attach
    .command("aws-integration <stack> <integration>")
    .description("attach an AWS integration for proposed (read) and tracked (write) runs")
    .option("--no-read", "not for proposed runs")
    .option("--no-write", "not for tracked runs")
    .action(async (id: string, entityId: string, o: { read: boolean; write: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("attachAwsIntegration", { params: { id, entityId }, body: { read: o.read, write: o.write } }), columns);
    });

  const detach = stack.command("detach").description("detach a context, policy or integration from a stack");
  const kinds = [
    { noun: "context", endpoint: "detachContext" },
    { noun: "policy", endpoint: "detachPolicy" },
    { noun: "aws-integration", endpoint: "detachAwsIntegration" },
  ] as const;
  for (const k of kinds) {
    detach.command(`${k.noun} <stack> <${k.noun}>`).description(`detach a ${k.noun}`).action(async (id: string, entityId: string, _o, cmd: Command) => {
      const s = session(rt, cmd);
      await s.api.call(k.endpoint, { params: { id, entityId } });
      printDone(s.p, s.format, `${k.noun} ${entityId} detached from stack ${id}`, { detached: { kind: k.noun, stackId: id, entityId } });
    });
  }
}
