import type { CreateModule, Module, ModuleConsumer, ModuleVersion, PublishResult, UpdateModule } from "@gantry/contract";
import type { Command } from "commander";
import { addBodyFlags, bodyFromFlags, type BodyFlag } from "../flags.js";
import { list, orDash, printDone, printJson, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const fields: BodyFlag[] = [
  { field: "id", flag: "id", kind: "string", description: "slug id (default: terraform-<provider>-<name>)", createOnly: true },
  { field: "name", flag: "name", kind: "string", description: "module name in source addresses (e.g. vpc)", createOnly: true },
  { field: "terraformProvider", flag: "terraform-provider", kind: "string", description: "provider part of source addresses (e.g. aws)", createOnly: true },
  { field: "namespace", flag: "namespace", kind: "string", description: "registry namespace (organization) in source addresses (default: gantry)" },
  { field: "description", flag: "description", kind: "string", description: "description" },
  { field: "repository", flag: "repository", kind: "string", description: "git URL or local path of the repository" },
  { field: "branch", flag: "branch", kind: "string", description: "branch whose tags are published (default: main)" },
  { field: "projectRoot", flag: "project-root", kind: "string", description: "the module's directory in the repository (e.g. modules/vpc)" },
  { field: "spaceId", flag: "space", kind: "string", description: "space id (default: root)" },
  { field: "labels", flag: "label", kind: "list", description: "label (replaces all labels on update)" },
  { field: "sharedWith", flag: "share-with", kind: "list", description: "further space whose stacks may use the module (replaces the list on update)" },
  { field: "protectFromDeletion", flag: "protect-from-deletion", kind: "boolean", description: "refuse deletion" },
  { field: "workerPoolId", flag: "worker-pool", kind: "string", description: "worker pool that runs the module's test cases (default: the built-in pool)" },
  { field: "offerFailedVersions", flag: "offer-failed-versions", kind: "boolean", description: "offer versions whose test cases failed to terraform anyway" },
  { field: "triggerConsumers", flag: "trigger-consumers", kind: "enum", choices: ["NONE", "PROPOSED", "TRACKED"], description: "on publish, queue this run type for every consumer whose constraint admits the new version" },
];

const columns: Column<Module>[] = [
  { header: "id", value: (m) => m.id },
  { header: "source", value: (m) => m.source },
  { header: "latest", value: (m) => orDash(m.latestVersion) },
  { header: "space", value: (m) => m.spaceId },
];

const details: Column<Module>[] = [
  ...columns,
  { header: "repository", value: (m) => `${m.repository} (${m.branch}) ${m.projectRoot || "."}` },
  { header: "description", value: (m) => orDash(m.description) },
  { header: "labels", value: (m) => list(m.labels) },
  { header: "shared with", value: (m) => list(m.sharedWith) },
  { header: "protected", value: (m) => yesNo(m.protectFromDeletion) },
  { header: "trigger consumers", value: (m) => m.triggerConsumers },
  { header: "worker pool", value: (m) => orDash(m.workerPoolId) },
  { header: "offer failed versions", value: (m) => yesNo(m.offerFailedVersions) },
];

const versionColumns: Column<ModuleVersion>[] = [
  { header: "version", value: (v) => v.version },
  { header: "state", value: (v) => v.state },
  { header: "commit", value: (v) => v.commit.slice(0, 12) },
  { header: "tag", value: (v) => orDash(v.tag) },
  { header: "tests", value: (v) => (v.tests.length ? v.tests.map((t) => `${t.name}: ${t.outcome}${t.runId ? ` (run ${t.runId})` : ""}`).join(", ") : "-") },
  { header: "published", value: (v) => v.createdAt },
];

const consumerColumns: Column<ModuleConsumer>[] = [
  { header: "stack", value: (c) => c.stackId },
  { header: "version", value: (c) => c.version },
  { header: "newer matching", value: (c) => orDash(c.newerMatchingVersion) },
];

/** What a publish shows: each version, its changelog, and the tags skipped with why. */
function describePublish(r: PublishResult): string {
  const lines: string[] = [];
  for (const v of r.published) {
    lines.push(`published ${v.version} from ${v.commit.slice(0, 12)}${v.tag ? ` (tag ${v.tag})` : ""}`);
    lines.push(`  changes since ${v.changelog.previousVersion ?? "the beginning"}: ${v.changelog.commits.length} commit(s), ${v.changelog.filesChanged.length} file(s)`);
    for (const c of v.changelog.commits.slice(0, 20)) lines.push(`    ${c.sha.slice(0, 12)} ${c.author}: ${c.message}`);
    for (const f of v.changelog.filesChanged.slice(0, 50)) lines.push(`    ${f}`);
  }
  for (const i of r.impact) {
    const admitted = i.consumers.filter((c) => c.admits);
    lines.push(`impact of ${i.version}: ${admitted.length} of ${i.consumers.length} consumer stack(s) admit it${admitted.length ? `: ${admitted.map((c) => `${c.stackId} (now ${c.currentVersion}, ${c.constraint ?? "no constraint"})`).join(", ")}` : ""}`);
    for (const t of i.triggered) lines.push(`  queued ${t.type} run ${t.runId} of ${t.stackId} (${t.cause})`);
    for (const s of i.skipped) lines.push(`  not run ${s.stackId}: ${s.reason}`);
    for (const e of i.policyErrors) lines.push(`  policy error: ${e}`);
  }
  for (const s of r.skipped) lines.push(`skipped ${s.ref}: ${s.reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n") || "nothing to publish";
}

/** `gantry module ...`: the private registry's modules, their versions and consumers. */
export function moduleCommand(rt: Runtime, program: Command): void {
  const mod = program.command("module").description("manage modules of the private registry");

  mod.command("list").description("list the modules you can read").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, await s.api.all("listModules"), columns, "no modules");
  });

  mod.command("show <id>").description("show one module, with the source address to use it by").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getModule", { params: { id } }), details);
  });

  addBodyFlags(mod.command("create").description("register a module (write on its space); publishes the semver tags already on its branch"), fields, true).action(async (o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("createModule", { body: bodyFromFlags<CreateModule>(o, fields) }), details);
  });

  addBodyFlags(mod.command("update <id>").description("update a module (only the given fields change)"), fields, false).action(async (id: string, o: Record<string, unknown>, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("updateModule", { params: { id }, body: bodyFromFlags<UpdateModule>(o, fields) }), details);
  });

  mod.command("delete <id>").description("delete a module and all its versions").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteModule", { params: { id } });
    printDone(s.p, s.format, `module ${id} deleted`, { deleted: { kind: "module", id } });
  });

  mod.command("versions <id>").description("list a module's versions, newest first").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listModuleVersions", { params: { id } })).items, versionColumns, "no versions");
  });

  mod.command("publish <id>").description("publish the version at a git ref (a semver tag, or a ref whose .spacelift/config.yml names module_version)")
    .requiredOption("--ref <ref>", "tag, branch or commit, e.g. v2.1.0")
    .action(async (id: string, o: { ref: string }, cmd: Command) => {
      const s = session(rt, cmd);
      const r = await s.api.call("publishModuleVersion", { params: { id }, body: { ref: o.ref } });
      if (s.format === "json") printJson(s.p, r);
      else s.p.out(describePublish(r));
    });

  for (const [name, state, verb] of [["yank", "YANKED", "yanked"], ["restore", "ACTIVE", "restored"]] as const) {
    mod.command(`${name} <id> <version>`).description(name === "yank" ? "hide a version from terraform's version list (stacks that use it keep it)" : "offer a yanked version again").action(async (id: string, version: string, _o, cmd: Command) => {
      const s = session(rt, cmd);
      const v = await s.api.call("updateModuleVersion", { params: { id, version }, body: { state } });
      printDone(s.p, s.format, `version ${version} of ${id} ${verb}`, { version: v });
    });
  }

  mod.command("consumers <id>").description("the stacks using the module, with the version each resolved at its last init").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listModuleConsumers", { params: { id } })).items, consumerColumns, "no stack uses this module yet");
  });
}
