import type { StackDependency, StackDependencyReference } from "@gantry/contract";
import { attr, TfPluginError } from "@gantry/tfplugin";
import { call, callOrNull, idOf } from "../api.js";
import { kit } from "../kit.js";

/** `<stack id>/<dependency id>`: the stack is needed to address the dependency, as in Spacelift's ids. */
const dependencyId = (d: StackDependency) => `${d.stackId}/${d.id}`;

function splitId(id: string, what: string, form: string): [stackId: string, id: string] {
  const parts = id.split("/");
  const stackId = parts[0];
  const last = parts[parts.length - 1];
  if (parts.length < 2 || !stackId || !last) throw new TfPluginError("resource", `${what} id must be ${form}, not ${JSON.stringify(id)}`);
  return [stackId, last];
}

/** `gantry_stack_dependency`: `stack_id` runs after `depends_on_stack_id` and may read its outputs. */
export const stackDependency = kit.resource({
  description: "Makes a stack depend on another: it runs after it, and its references read the upstream's outputs.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    stack_id: attr.string({ required: true, requiresReplace: true, description: "the dependent (downstream) stack" }),
    depends_on_stack_id: attr.string({ required: true, requiresReplace: true, description: "the upstream stack" }),
  },
  async create({ planned, client }) {
    const d = await call(client, "createStackDependency", { params: { id: planned.stack_id }, body: { dependsOnStackId: planned.depends_on_stack_id } }, { dependsOnStackId: "depends_on_stack_id" }, { forbiddenAt: "depends_on_stack_id" });
    return { id: dependencyId(d), stack_id: d.stackId, depends_on_stack_id: d.dependsOnStackId };
  },
  async read({ state, client }) {
    const [stackId, id] = splitId(idOf(state), "gantry_stack_dependency", "<stack id>/<dependency id>");
    const d = await callOrNull(client, "getStackDependency", { params: { id: stackId, dependencyId: id } });
    return d && { id: dependencyId(d), stack_id: d.stackId, depends_on_stack_id: d.dependsOnStackId };
  },
  // Every argument replaces the dependency.
  update: () => ({}),
  async delete({ state, client }) {
    const [stackId, id] = splitId(idOf(state), "gantry_stack_dependency", "<stack id>/<dependency id>");
    await call(client, "deleteStackDependency", { params: { id: stackId, dependencyId: id } });
  },
  import: ({ id }) => ({ id }),
});

const referenceState = (stackId: string, dependencyTfId: string, r: StackDependencyReference) => ({
  id: `${stackId}/${r.id}`,
  stack_dependency_id: dependencyTfId,
  output_name: r.outputName,
  input_name: r.inputName,
  trigger_always: r.triggerAlways,
});

/** `gantry_stack_dependency_reference`: an output of the upstream passed to the dependent as an environment variable. */
export const stackDependencyReference = kit.resource({
  description: "Passes an output of the upstream stack to the dependent stack's runs as an environment variable (TF_VAR_x or any name).",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    stack_dependency_id: attr.string({ required: true, requiresReplace: true, description: "the id of a gantry_stack_dependency" }),
    output_name: attr.string({ required: true, requiresReplace: true, description: "the upstream stack's output" }),
    input_name: attr.string({ required: true, requiresReplace: true, description: "the environment variable the dependent's runs get" }),
    trigger_always: attr.bool({ optional: true, default: false, requiresReplace: true, description: "trigger the dependent after every upstream change, not only when this output changed" }),
  },
  async create({ planned, client }) {
    const [stackId, depId] = splitId(planned.stack_dependency_id, "stack_dependency_id", "the id of a gantry_stack_dependency (<stack id>/<dependency id>)");
    const r = await call(client, "createStackDependencyReference", {
      params: { id: stackId },
      body: { dependencyId: depId, outputName: planned.output_name, inputName: planned.input_name, triggerAlways: planned.trigger_always },
    }, { dependencyId: "stack_dependency_id" });
    return referenceState(stackId, planned.stack_dependency_id, r);
  },
  async read({ state, client }) {
    const [stackId, id] = splitId(idOf(state), "gantry_stack_dependency_reference", "<stack id>/<reference id>");
    const r = await callOrNull(client, "getStackDependencyReference", { params: { id: stackId, referenceId: id } });
    return r && referenceState(stackId, `${stackId}/${r.dependencyId}`, r);
  },
  update: () => ({}),
  async delete({ state, client }) {
    const [stackId, id] = splitId(idOf(state), "gantry_stack_dependency_reference", "<stack id>/<reference id>");
    await call(client, "deleteStackDependencyReference", { params: { id: stackId, referenceId: id } });
  },
  import: ({ id }) => ({ id }),
});
