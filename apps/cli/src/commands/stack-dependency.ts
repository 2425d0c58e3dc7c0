import type { StackDependency } from "@gantry/contract";
import { GantryApiError } from "@gantry/contract";
import type { Command } from "commander";
import { usageError } from "../errors.js";
import { collect } from "../flags.js";
import { printDone, printJson, printList, printOne, renderTable, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

type Row = { direction: "depends on" | "dependent"; dependency: StackDependency };

const columns: Column<Row>[] = [
  { header: "direction", value: (r) => r.direction },
  { header: "stack", value: (r) => (r.direction === "depends on" ? r.dependency.dependsOnStackId : r.dependency.stackId) },
  { header: "references", value: (r) => r.dependency.references.map((x) => `${x.outputName}=${x.inputName}${x.triggerAlways ? " (always)" : ""}`).join(", ") || "-" },
  { header: "id", value: (r) => r.dependency.id },
];

/** `OUTPUT=ENV_NAME` pairs, checked before anything is created. */
function parseRefs(refs: readonly string[]): { outputName: string; inputName: string }[] {
  return refs.map((r) => {
    const m = /^([^=]+)=([^=]+)$/.exec(r);
    if (!m) throw usageError(`--ref ${JSON.stringify(r)}: write OUTPUT=ENV_NAME, e.g. --ref vpc_id=TF_VAR_vpc_id`);
    return { outputName: m[1]!, inputName: m[2]! };
  });
}

/** `gantry stack dependency ...` and `gantry stack outputs` (`stack deploy --with-dependents` is in runs.ts). */
export function stackDependencyCommands(rt: Runtime, stack: Command): void {
  const dep = stack.command("dependency").description("make stacks depend on each other and pass outputs downstream");

  dep
    .command("add <stack>")
    .description("make the stack depend on another; --ref passes an output of the upstream as an environment variable")
    .requiredOption("--on <upstream>", "the stack this one depends on")
    .option("--ref <OUTPUT=ENV_NAME>", "pass the upstream's output OUTPUT as ENV_NAME (TF_VAR_x or any name); repeatable", collect)
    .option("--trigger-always", "trigger this stack after every upstream change, not only when a referenced output changed")
    .action(async (id: string, o: { on: string; ref?: string[]; triggerAlways?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const refs = parseRefs(o.ref ?? []);
      let created = false;
      let dependency: StackDependency;
      try {
        dependency = await s.api.call("createStackDependency", { params: { id }, body: { dependsOnStackId: o.on } });
        created = true;
      } catch (err) {
        // Adding references to an existing dependency is fine; anything else is the answer.
        if (!(err instanceof GantryApiError && err.code === "already_exists" && refs.length > 0)) throw err;
        const existing = (await s.api.call("listStackDependencies", { params: { id } })).dependsOn.find((d) => d.dependsOnStackId === o.on);
        if (!existing) throw err;
        dependency = existing;
      }
      try {
        for (const r of refs) {
          dependency.references.push(await s.api.call("createStackDependencyReference", { params: { id }, body: { dependencyId: dependency.id, ...r, triggerAlways: Boolean(o.triggerAlways) } }));
        }
      } catch (err) {
        // Nothing half-made: a dependency created by this command goes if one of its references is refused.
        if (created) await s.api.call("deleteStackDependency", { params: { id, dependencyId: dependency.id } }).catch(() => undefined);
        throw err;
      }
      printOne(s.p, s.format, { direction: "depends on", dependency } as Row, columns);
    });

  dep
    .command("list <stack>")
    .description("what the stack depends on, and what depends on it")
    .action(async (id: string, _o, cmd: Command) => {
      const s = session(rt, cmd);
      const l = await s.api.call("listStackDependencies", { params: { id } });
      if (s.format === "json") return printJson(s.p, l);
      const rows: Row[] = [...l.dependsOn.map((d) => ({ direction: "depends on" as const, dependency: d })), ...l.dependents.map((d) => ({ direction: "dependent" as const, dependency: d }))];
      printList(s.p, s.format, rows, columns, `stack ${id} has no dependencies`);
    });

  dep
    .command("remove <stack>")
    .description("remove the dependency on --on (with its references), or with --ref only the reference setting ENV_NAME")
    .requiredOption("--on <upstream>", "the upstream stack")
    .option("--ref <ENV_NAME>", "remove only the reference that sets this variable")
    .action(async (id: string, o: { on: string; ref?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      const d = (await s.api.call("listStackDependencies", { params: { id } })).dependsOn.find((x) => x.dependsOnStackId === o.on);
      if (!d) throw usageError(`stack ${id} does not depend on ${o.on}: see gantry stack dependency list ${id}`);
      if (o.ref) {
        const ref = d.references.find((r) => r.inputName === o.ref);
        if (!ref) throw usageError(`no reference of ${id} on ${o.on} sets ${o.ref}: it has ${d.references.map((r) => r.inputName).join(", ") || "none"}`);
        await s.api.call("deleteStackDependencyReference", { params: { id, referenceId: ref.id } });
        return printDone(s.p, s.format, `reference ${o.ref} of ${id} removed`, { deleted: { kind: "stackDependencyReference", id: ref.id } });
      }
      await s.api.call("deleteStackDependency", { params: { id, dependencyId: d.id } });
      printDone(s.p, s.format, `${id} no longer depends on ${o.on}`, { deleted: { kind: "stackDependency", id: d.id } });
    });

  stack
    .command("outputs <stack>")
    .description("outputs of the stack's latest applied state (sensitive values masked)")
    .action(async (id: string, _o, cmd: Command) => {
      const s = session(rt, cmd);
      const outputs = await s.api.call("stackOutputs", { params: { id } });
      if (s.format === "json") return printJson(s.p, outputs);
      const rows = Object.entries(outputs).map(([name, value]) => ({ name, value }));
      s.p.out(rows.length === 0 ? `stack ${id} has no outputs (it has not applied, or declares none)` : renderTable(rows, [{ header: "name", value: (r) => r.name }, { header: "value", value: (r) => (typeof r.value === "string" ? r.value : JSON.stringify(r.value)) }]));
    });
}
