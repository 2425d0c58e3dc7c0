/**
 * Spacelift's vendor-neutral `run.changes`: one entry per entity a run would change, whatever the
 * tool, so one policy can guard Terraform, Kubernetes and Ansible stacks alike. The shape follows
 * Spacelift's documented input (`{action, entity: {address, name, type, entity_vendor,
 * entity_type, data}, phase, moved}`); how each vendor's plan maps onto it is in docs/vendors.md.
 */

/** One change of a run, as Spacelift's policy inputs carry it. */
export interface RunChange {
  /** `added`, `changed`, `deleted`, or terraform's finer kinds (replacements, `import`, `forget`) as Spacelift names them. */
  action: string;
  entity: { address: string; name: string; type: string; entity_vendor: string; entity_type: string; data: unknown };
  phase: "plan" | "apply";
  moved: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);
const str = (x: unknown) => (typeof x === "string" ? x : "");
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** terraform's `change.actions` as Spacelift's action names (the replacement names are Spacelift's own spelling). */
function terraformAction(actions: string[], importing: boolean, moved: boolean): string | null {
  const a = actions.join(",");
  if (a === "create") return "added";
  if (a === "update") return "changed";
  if (a === "delete") return "deleted";
  if (a === "delete,create") return "destroy-Before-create-replaced";
  if (a === "create,delete") return "create-Before-destroy-replaced";
  if (a === "forget") return "forget";
  if (a === "no-op" && importing) return "import";
  if (a === "no-op" && moved) return "changed";
  return null; // no-op and read (data sources) change nothing
}

/** Terraform: each resource change (data = Spacelift's terraform resource: address, mode, module, provider, values) and each output change. */
function terraformChanges(plan: Obj): RunChange[] {
  const out: RunChange[] = [];
  for (const rc of list(plan.resource_changes).filter(isObj)) {
    const change = isObj(rc.change) ? rc.change : {};
    const moved = typeof rc.previous_address === "string" && rc.previous_address !== rc.address;
    const action = terraformAction(list(change.actions).map(str), isObj(change.importing), moved);
    if (!action) continue;
    const values = action === "deleted" ? change.before : change.after;
    out.push({
      action, phase: "plan", moved,
      entity: {
        address: str(rc.address), name: str(rc.name), type: str(rc.type), entity_vendor: "terraform", entity_type: "resource",
        data: { address: str(rc.address), mode: str(rc.mode), module: str(rc.module_address), provider: str(rc.provider_name), tainted: false, values: values ?? null },
      },
    });
  }
  for (const [name, c] of Object.entries(isObj(plan.output_changes) ? plan.output_changes : {})) {
    if (!isObj(c)) continue;
    const action = terraformAction(list(c.actions).map(str), false, false);
    if (!action) continue;
    // The plan given here is already sanitized; a sensitive output's value is left out entirely.
    const sensitive = c.after_sensitive === true || c.before_sensitive === true;
    const value = action === "deleted" ? c.before : c.after;
    out.push({ action, phase: "plan", moved: false, entity: { address: `output.${name}`, name, type: "output", entity_vendor: "terraform", entity_type: "output", data: { sensitive, ...(sensitive ? {} : { value: value ?? null }) } } });
  }
  return out;
}

const K8S_ACTIONS: Record<string, string> = { create: "added", update: "changed", delete: "deleted" };

/** Kubernetes: each object the plan creates, changes or prunes; data is the object (as the dry run returned it, or as it lives for a deletion). */
function kubernetesChanges(doc: Obj): RunChange[] {
  const objects = new Map<string, unknown>();
  const key = (o: Obj) => { const m = isObj(o.metadata) ? o.metadata : {}; return [str(o.kind), str(m.namespace), str(m.name)].filter(Boolean).join("/"); };
  for (const o of [...list(doc.items), ...list(doc.deletions)].filter(isObj)) objects.set(key(o), o);
  return list(doc.changes).filter(isObj).flatMap((c) => {
    const action = K8S_ACTIONS[str(c.action)];
    if (!action) return [];
    return [{ action, phase: "plan" as const, moved: false, entity: { address: str(c.address), name: str(c.name), type: str(c.kind), entity_vendor: "kubernetes", entity_type: "resource", data: objects.get(str(c.address)) ?? null } }];
  });
}

/** Ansible: each host that would change (Spacelift's `ansible_host` resource); data lists the task results that would change it. */
function ansibleChanges(doc: Obj): RunChange[] {
  const byHost = new Map<string, Obj[]>();
  for (const c of list(doc.changes).filter(isObj)) {
    const host = str(c.host);
    byHost.set(host, [...(byHost.get(host) ?? []), { play: c.play, task: c.task, module: c.module, args: c.args ?? null, diff: c.diff ?? null }]);
  }
  return [...byHost].map(([host, tasks]) => ({ action: "changed", phase: "plan" as const, moved: false, entity: { address: host, name: host, type: "ansible_host", entity_vendor: "ansible", entity_type: "resource", data: { host, tasks } } }));
}

/** The `run.changes` of a plan document of the stack's vendor (the document as policies see it: sanitized). */
export function runChanges(vendor: string | undefined, plan: unknown): RunChange[] {
  if (!isObj(plan)) return [];
  if (vendor === "KUBERNETES") return kubernetesChanges(plan);
  if (vendor === "ANSIBLE") return ansibleChanges(plan);
  return terraformChanges(plan);
}
