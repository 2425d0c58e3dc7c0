import type { StackResources } from "@gantry/contract";

interface StateDocument {
  serial?: number;
  resources?: { module?: string; mode?: string; type?: string; name?: string; provider?: string; instances?: { index_key?: string | number }[] }[];
}

/** `provider["registry.terraform.io/hashicorp/aws"]` -> `registry.terraform.io/hashicorp/aws`. */
function providerName(p: string | undefined): string {
  return /provider\["([^"]+)"\]/.exec(p ?? "")?.[1] ?? p ?? "";
}

/**
 * The resource instances of a terraform state document, by address. Attribute values are left
 * out on purpose: state holds every secret a resource has, and reading a stack does not entitle
 * anyone to them (downloading state is for space admins).
 */
export function stateResources(doc: string): Pick<StackResources, "serial" | "resources"> {
  const state = JSON.parse(doc) as StateDocument;
  const out: StackResources["resources"] = [];
  for (const r of state.resources ?? []) {
    const mode = r.mode === "data" ? "data" : "managed";
    const base = `${r.module ? `${r.module}.` : ""}${mode === "data" ? "data." : ""}${r.type}.${r.name}`;
    const instances = r.instances?.length ? r.instances : [{}];
    for (const i of instances) {
      const key = i.index_key === undefined ? "" : typeof i.index_key === "number" ? `[${i.index_key}]` : `[${JSON.stringify(i.index_key)}]`;
      out.push({ address: base + key, mode, type: r.type ?? "", providerName: providerName(r.provider), module: r.module ?? null });
    }
  }
  return { serial: state.serial ?? null, resources: out };
}
