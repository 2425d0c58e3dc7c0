import { readFileSync } from "node:fs";
import { PolicyType, type CreatePolicy, type Policy, type UpdatePolicy } from "@gantry/contract";
import { Option, type Command } from "commander";
import { usageError } from "../errors.js";
import { addBodyFlags, bodyFromFlags, type BodyFlag } from "../flags.js";
import { list, orDash, printDone, printList, printOne, type Column, type Printer } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const fields: BodyFlag[] = [
  { field: "id", flag: "id", kind: "string", description: "slug id (default: from the name)", createOnly: true },
  { field: "name", flag: "name", kind: "string", description: "display name" },
  { field: "description", flag: "description", kind: "string", description: "description" },
  { field: "type", flag: "type", kind: "enum", choices: PolicyType.options, description: "policy type", createOnly: true },
  { field: "spaceId", flag: "space", kind: "string", description: "space id (default: root)" },
  { field: "labels", flag: "label", kind: "list", description: "label, e.g. autoattach:team:app (replaces all labels on update)" },
  { field: "regoVersion", flag: "rego-version", kind: "enum", choices: ["V0", "V1"], description: "Rego syntax version (default V1, or V0 with a warning for a body that only compiles as v0)" },
];

const columns: Column<Policy>[] = [
  { header: "id", value: (p) => p.id },
  { header: "name", value: (p) => p.name },
  { header: "type", value: (p) => p.type },
  { header: "space", value: (p) => p.spaceId },
  { header: "rego", value: (p) => p.regoVersion },
  { header: "labels", value: (p) => list(p.labels) },
];

/** Says what the server decided for the caller (a v0 body stored as V0) on stderr, so --format json stays clean. */
function printWarnings(p: Printer, policy: Policy): Policy {
  for (const w of policy.warnings ?? []) p.err(`warning: ${w}`);
  return policy;
}

const details: Column<Policy>[] = [
  ...columns,
  { header: "description", value: (p) => orDash(p.description) },
  { header: "created", value: (p) => p.createdAt },
  { header: "updated", value: (p) => p.updatedAt },
  { header: "version", value: (p) => p.version },
  { header: "tests", value: (p) => (p.tests ? "yes (run on every change)" : "none") },
  { header: "body", value: (p) => `\n${p.body}` },
];

/** Adds `--body-file`: the Rego source is read from a file rather than typed on the command line. */
function withBodyFile(cmd: Command): Command {
  return cmd
    .addOption(new Option("--body-file <path>", "file with the policy's Rego source"))
    .addOption(new Option("--test-file <path>", "file with the policy's Rego tests (test_ rules): the server runs them and refuses the change when one fails"));
}

function bodyWithRego<T>(o: Record<string, unknown>): T {
  const body = bodyFromFlags<Record<string, unknown>>(o, fields);
  if (typeof o.bodyFile === "string") {
    try {
      body.body = readFileSync(o.bodyFile, "utf8");
    } catch (err) {
      throw usageError(`cannot read --body-file ${o.bodyFile}: ${(err as Error).message}`);
    }
  }
  if (typeof o.testFile === "string") {
    try {
      body.tests = readFileSync(o.testFile, "utf8");
    } catch (err) {
      throw usageError(`cannot read --test-file ${o.testFile}: ${(err as Error).message}`);
    }
  }
  return body as T;
}

/** `gantry policy list|show|create|update|delete`. */
export function policyCommand(rt: Runtime, program: Command): Command {
  const policy = program.command("policy").description("manage policies written in Rego");

  policy
    .command("list")
    .description("list the policies you can read")
    .addOption(new Option("--type <type>", "only policies of this type").choices(PolicyType.options))
    .action(async (o: { type?: Policy["type"] }, cmd: Command) => {
      const s = session(rt, cmd);
      printList(s.p, s.format, await s.api.all("listPolicies", { type: o.type }), columns, "no policies");
    });

  policy.command("show <id>").description("show one policy with its body").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getPolicy", { params: { id } }), details);
  });

  withBodyFile(addBodyFlags(policy.command("create").description("create a policy (admin on its space)"), fields, true)).action(async (o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, printWarnings(s.p, await s.api.call("createPolicy", { body: bodyWithRego<CreatePolicy>(o) })), details);
  });

  withBodyFile(addBodyFlags(policy.command("update <id>").description("update a policy (only the given fields change)"), fields, false)).action(async (id: string, o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, printWarnings(s.p, await s.api.call("updatePolicy", { params: { id }, body: bodyWithRego<UpdatePolicy>(o) })), details);
  });

  policy.command("delete <id>").description("delete a policy and its attachments").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deletePolicy", { params: { id } });
    printDone(s.p, s.format, `policy ${id} deleted`, { deleted: { kind: "policy", id } });
  });
  return policy;
}
