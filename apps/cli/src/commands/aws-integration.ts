import type { Attachment, AwsIntegration, CreateAwsIntegration, UpdateAwsIntegration } from "@gantry/contract";
import type { Command } from "commander";
import { addBodyFlags, bodyFromFlags, type BodyFlag } from "../flags.js";
import { list, orDash, printDone, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const fields: BodyFlag[] = [
  { field: "id", flag: "id", kind: "string", description: "slug id (default: from the name)", createOnly: true },
  { field: "name", flag: "name", kind: "string", description: "display name" },
  { field: "spaceId", flag: "space", kind: "string", description: "space id (default: root)" },
  { field: "labels", flag: "label", kind: "list", description: "label, e.g. autoattach:aws (replaces all labels on update)" },
  { field: "roleArn", flag: "role-arn", kind: "string", description: "IAM role the runs assume, e.g. arn:aws:iam::123456789012:role/deployer" },
  { field: "durationSeconds", flag: "duration-seconds", kind: "int", description: "lifetime of the temporary credentials, 900 to 43200 (default 3600)" },
  { field: "generateCredentialsInWorker", flag: "generate-credentials-in-worker", kind: "boolean", description: "the worker assumes the role and hands the run temporary keys" },
  { field: "externalId", flag: "external-id", kind: "nullable", description: "added to the run token as the externalId claim" },
  { field: "region", flag: "region", kind: "nullable", description: "AWS_REGION of the runs and the regional STS endpoint" },
  { field: "audience", flag: "audience", kind: "nullable", description: "aud of the run token (default: the issuer's host name)" },
];

const columns: Column<AwsIntegration>[] = [
  { header: "id", value: (i) => i.id },
  { header: "name", value: (i) => i.name },
  { header: "space", value: (i) => i.spaceId },
  { header: "role", value: (i) => i.roleArn },
  { header: "labels", value: (i) => list(i.labels) },
];

const details: Column<AwsIntegration>[] = [
  ...columns,
  { header: "duration", value: (i) => `${i.durationSeconds} s` },
  { header: "credentials in worker", value: (i) => yesNo(i.generateCredentialsInWorker) },
  { header: "external id", value: (i) => orDash(i.externalId ?? "") },
  { header: "region", value: (i) => orDash(i.region ?? "") },
  { header: "audience", value: (i) => orDash(i.audience ?? "") },
  { header: "created", value: (i) => i.createdAt },
  { header: "updated", value: (i) => i.updatedAt },
];

const attachmentColumns: Column<Attachment>[] = [
  { header: "stack", value: (a) => a.stackId },
  { header: "integration", value: (a) => a.entityId },
  { header: "read", value: (a) => yesNo(a.read) },
  { header: "write", value: (a) => yesNo(a.write) },
];

/** `gantry aws-integration ...`: AWS roles runs assume with their OIDC token, and their attachments. */
export function awsIntegrationCommand(rt: Runtime, program: Command): void {
  const cmd = program.command("aws-integration").description("manage AWS integrations: roles runs assume with their identity token (no static keys)");

  cmd.command("list").description("list the AWS integrations you can read").action(async (_o, c: Command) => {
    const s = session(rt, c);
    printList(s.p, s.format, await s.api.all("listAwsIntegrations"), columns, "no AWS integrations");
  });

  cmd.command("show <id>").description("show one AWS integration").action(async (id: string, _o, c: Command) => {
    const s = session(rt, c);
    printOne(s.p, s.format, await s.api.call("getAwsIntegration", { params: { id } }), details);
  });

  addBodyFlags(cmd.command("create").description("create an AWS integration (admin on its space)"), fields, true).action(async (o: Record<string, unknown>, c: Command) => {
    const s = session(rt, c);
    printOne(s.p, s.format, await s.api.call("createAwsIntegration", { body: bodyFromFlags<CreateAwsIntegration>(o, fields) }), details);
  });

  addBodyFlags(cmd.command("update <id>").description("update an AWS integration (only the given fields change)"), fields, false).action(async (id: string, o: Record<string, unknown>, c: Command) => {
    const s = session(rt, c);
    printOne(s.p, s.format, await s.api.call("updateAwsIntegration", { params: { id }, body: bodyFromFlags<UpdateAwsIntegration>(o, fields) }), details);
  });

  cmd.command("delete <id>").description("delete an AWS integration and its attachments").action(async (id: string, _o, c: Command) => {
    const s = session(rt, c);
    await s.api.call("deleteAwsIntegration", { params: { id } });
    printDone(s.p, s.format, `AWS integration ${id} deleted`, { deleted: { kind: "aws_integration", id } });
  });

  cmd
    .command("attach <id> <stack>")
    .description("let a stack's runs use the integration: read for proposed runs, write for the others")
    .option("--no-read", "not for proposed runs")
    .option("--no-write", "not for tracked, task and destroy runs")
    .action(async (id: string, stack: string, o: { read: boolean; write: boolean }, c: Command) => {
      const s = session(rt, c);
      printOne(s.p, s.format, await s.api.call("attachAwsIntegration", { params: { id: stack, entityId: id }, body: { read: o.read, write: o.write } }), attachmentColumns);
    });

  cmd.command("detach <id> <stack>").description("detach the integration from a stack").action(async (id: string, stack: string, _o, c: Command) => {
    const s = session(rt, c);
    await s.api.call("detachAwsIntegration", { params: { id: stack, entityId: id } });
    printDone(s.p, s.format, `AWS integration ${id} detached from stack ${stack}`, { detached: { kind: "aws_integration", stackId: stack, entityId: id } });
  });
}
