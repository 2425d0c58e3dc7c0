import type { CreateStack, Stack, UpdateStack } from "@gantry/contract";
import type { Command } from "commander";
import { addBodyFlags, bodyFromFlags, type BodyFlag } from "../flags.js";
import { list, orDash, printDone, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { configElementCommands } from "./config-elements.js";
import { hooksDetails } from "./hooks.js";
import { explainCommand } from "./explain.js";
import { stackAttachCommands } from "./stack-attach.js";
import { stackDependencyCommands } from "./stack-dependency.js";

const fields: BodyFlag[] = [
  { field: "id", flag: "id", kind: "string", description: "slug id (default: from the name)", createOnly: true },
  { field: "name", flag: "name", kind: "string", description: "display name" },
  { field: "description", flag: "description", kind: "string", description: "description" },
  { field: "spaceId", flag: "space", kind: "string", description: "space id (default: root)" },
  { field: "repository", flag: "repository", kind: "string", description: "git URL or local path of the repository" },
  { field: "branch", flag: "branch", kind: "string", description: "tracked branch (default: main)" },
  { field: "projectRoot", flag: "project-root", kind: "string", description: "directory of the root module inside the repository" },
  { field: "additionalProjectGlobs", flag: "additional-project-glob", kind: "list", description: "more paths whose changes trigger the stack (replaces all on update)" },
  { field: "labels", flag: "label", kind: "list", description: "label (replaces all labels on update)" },
  { field: "autodeploy", flag: "autodeploy", kind: "boolean", description: "apply tracked runs without confirmation" },
  { field: "autoretry", flag: "autoretry", kind: "boolean", description: "retry proposed runs that fail on a locked state" },
  { field: "administrative", flag: "administrative", kind: "boolean", description: "runs may manage Gantry itself" },
  { field: "manageState", flag: "manage-state", kind: "boolean", description: "Gantry keeps the Terraform state (default: yes for TERRAFORM stacks, no for others)" },
  { field: "protectFromDeletion", flag: "protect-from-deletion", kind: "boolean", description: "refuse to delete the stack" },
  { field: "enableLocalPreview", flag: "enable-local-preview", kind: "boolean", description: "allow proposed runs from local code" },
  { field: "smartSanitization", flag: "smart-sanitization", kind: "boolean", description: "plan policies see only sensitive values hashed (default); off: every string hashed" },
  { field: "vendor", flag: "vendor", kind: "enum", choices: ["TERRAFORM", "KUBERNETES", "ANSIBLE", "PULUMI", "CLOUDFORMATION"], description: "the tool the stack runs (default: TERRAFORM; see docs/vendors.md)" },
  { field: "kubernetes.namespace", flag: "kubernetes-namespace", kind: "string", description: "KUBERNETES stacks: namespace of objects that name none (replaces the kubernetes block on update)" },
  { field: "kubernetes.kubectlVersion", flag: "kubectl-version", kind: "nullable", description: "KUBERNETES stacks: exact kubectl version the worker must run" },
  { field: "ansible.playbook", flag: "ansible-playbook", kind: "string", description: "ANSIBLE stacks: playbook file relative to the project root" },
  { field: "workflowTool", flag: "workflow-tool", kind: "enum", choices: ["TERRAFORM", "OPEN_TOFU"], description: "terraform or tofu" },
  { field: "terraformVersion", flag: "terraform-version", kind: "nullable", description: "exact tool version, e.g. 1.11.4" },
  { field: "workerPoolId", flag: "worker-pool", kind: "nullable", description: "worker pool id (default: the server's own workers)" },
  { field: "vcsIntegrationId", flag: "vcs-integration", kind: "nullable", description: "VCS integration id (GitHub webhooks and feedback); default: matched by repository" },
  { field: "hooks", flag: "hook", kind: "hooks", description: "hook command; replaces all hooks on update" },
];

const columns: Column<Stack>[] = [
  { header: "id", value: (s) => s.id },
  { header: "name", value: (s) => s.name },
  { header: "space", value: (s) => s.spaceId },
  { header: "state", value: (s) => s.state },
  { header: "branch", value: (s) => s.branch },
  { header: "project root", value: (s) => orDash(s.projectRoot) },
  { header: "labels", value: (s) => list(s.labels) },
  { header: "drift", value: (s) => driftSummary(s) },
];

/** "-", or how many resources drifted and since when. */
function driftSummary(s: Stack): string {
  return s.drift ? `${s.drift.resources.length} resource(s) since ${s.drift.detectedAt}` : "-";
}

/** The vendor and its settings block, e.g. `KUBERNETES (namespace apps)`. */
function vendorDetails(s: Stack): string {
  if (s.vendor === "KUBERNETES" && s.kubernetes) return `KUBERNETES (namespace ${s.kubernetes.namespace || "from kubeconfig"}${s.kubernetes.kubectlVersion ? `, kubectl ${s.kubernetes.kubectlVersion}` : ""})`;
  if (s.vendor === "ANSIBLE" && s.ansible) return `ANSIBLE (playbook ${s.ansible.playbook})`;
  return s.vendor;
}

const details: Column<Stack>[] = [
  { header: "id", value: (s) => s.id },
  { header: "name", value: (s) => s.name },
  { header: "description", value: (s) => orDash(s.description) },
  { header: "space", value: (s) => s.spaceId },
  { header: "state", value: (s) => s.state },
  { header: "repository", value: (s) => s.repository },
  { header: "branch", value: (s) => s.branch },
  { header: "project root", value: (s) => orDash(s.projectRoot) },
  { header: "project globs", value: (s) => list(s.additionalProjectGlobs) },
  { header: "labels", value: (s) => list(s.labels) },
  { header: "vendor", value: (s) => vendorDetails(s) },
  { header: "tool", value: (s) => (s.vendor === "TERRAFORM" ? `${s.workflowTool}${s.terraformVersion ? ` ${s.terraformVersion}` : ""}` : "-") },
  { header: "autodeploy", value: (s) => yesNo(s.autodeploy) },
  { header: "autoretry", value: (s) => yesNo(s.autoretry) },
  { header: "administrative", value: (s) => yesNo(s.administrative) },
  { header: "manage state", value: (s) => yesNo(s.manageState) },
  { header: "protected", value: (s) => yesNo(s.protectFromDeletion) },
  { header: "local preview", value: (s) => yesNo(s.enableLocalPreview) },
  { header: "worker pool", value: (s) => orDash(s.workerPoolId) },
  { header: "vcs integration", value: (s) => orDash(s.vcsIntegrationId) },
  { header: "locked by", value: (s) => orDash(s.lockedBy) },
  { header: "lock note", value: (s) => orDash(s.lockNote) },
  { header: "drift", value: (s) => driftSummary(s) },
  { header: "drifted resources", value: (s) => (s.drift ? list(s.drift.resources) : "-") },
  { header: "drift run", value: (s) => orDash(s.drift?.runId ?? null) },
  { header: "hooks", value: (s) => hooksDetails(s.hooks) },
  { header: "created", value: (s) => s.createdAt },
  { header: "updated", value: (s) => s.updatedAt },
];

/** `gantry stack ...`: CRUD, variables and files, attachments and explain. */
export function stackCommand(rt: Runtime, program: Command): void {
  const stack = program.command("stack").description("manage stacks: one root module of one environment");

  stack
    .command("list")
    .description("list the stacks you can read")
    .option("--space <id>", "only stacks in this space")
    .option("--label <label>", "only stacks with this label")
    .action(async (o: { space?: string; label?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      printList(s.p, s.format, await s.api.all("listStacks", { spaceId: o.space, label: o.label }), columns, "no stacks");
    });

  stack.command("show <id>").description("show one stack").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getStack", { params: { id } }), details);
  });

  addBodyFlags(stack.command("create").description("create a stack"), fields, true).action(async (o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("createStack", { body: bodyFromFlags<CreateStack>(o, fields) }), details);
  });

  addBodyFlags(stack.command("update <id>").description("update a stack (only the given fields change)"), fields, false).action(async (id: string, o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("updateStack", { params: { id }, body: bodyFromFlags<UpdateStack>(o, fields) }), details);
  });

  stack.command("delete <id>").description("delete a stack").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteStack", { params: { id } });
    printDone(s.p, s.format, `stack ${id} deleted`, { deleted: { kind: "stack", id } });
  });

  stack
    .command("lock <id>")
    .description("lock a stack: only you can trigger its runs until you unlock it")
    .option("--note <text>", "why, for the others")
    .action(async (id: string, o: { note?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("lockStack", { params: { id }, body: { note: o.note } }), details);
    });
  stack.command("unlock <id>").description("unlock a stack (its owner, or an admin of its space)").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("unlockStack", { params: { id } }), details);
  });

  explainCommand(rt, stack);
  stackAttachCommands(rt, stack);
  stackDependencyCommands(rt, stack);
  configElementCommands(rt, stack, "stack");
}

