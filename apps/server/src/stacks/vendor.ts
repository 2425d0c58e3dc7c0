import { vendorBlockOf, type AnsibleSettings, type KubernetesSettings, type Stack, type Vendor } from "@gantry/contract";
import { AppError, invalidField } from "../errors.js";
import { parseJson } from "../db/rows.js";
import type { StacksTable } from "../db/schema.js";

type Block = keyof Pick<Stack, "kubernetes" | "ansible" | "pulumi" | "cloudformation">;
const blocks: Block[] = ["kubernetes", "ansible", "pulumi", "cloudformation"];

/** What a create or update says about the vendor: the fields that decide it, as sent. */
export interface VendorInput {
  vendor?: Vendor;
  kubernetes?: KubernetesSettings | null;
  ansible?: AnsibleSettings | null;
  pulumi?: Stack["pulumi"];
  cloudformation?: Stack["cloudformation"];
  workflowTool?: Stack["workflowTool"];
  terraformVersion?: string | null;
  administrative?: boolean;
  manageState?: boolean;
}

/** The engines these workers cannot run, and what an operator does about it (docs/vendors.md). */
const notInstalled: Partial<Record<Vendor, string>> = {
  PULUMI:
    "PULUMI stacks are not supported yet: the Pulumi engine is not installed on this Gantry's workers. An operator adds it by running workers from an image with the Pulumi CLI and its language runtimes (see docs/vendors.md); until then use a TERRAFORM, KUBERNETES or ANSIBLE stack",
  CLOUDFORMATION:
    "CLOUDFORMATION stacks are not supported yet: CloudFormation runs only in an AWS account and none is configured for this Gantry's workers. An operator adds it by giving the workers an AWS integration with CloudFormation rights (see docs/vendors.md); until then use a TERRAFORM, KUBERNETES or ANSIBLE stack",
};

const isTerraform = (v: Vendor) => v === "TERRAFORM";

/**
 * Decides a stack's vendor columns from a create (`row` undefined) or an update: the vendor named,
 * else the one whose settings block was sent, else the stack's current one, else TERRAFORM. The
 * settings that only mean something for terraform (OpenTofu, a terraform version, managed state,
 * administrative) are refused on other vendors rather than ignored.
 */
export function vendorColumns(input: VendorInput, row?: StacksTable): { vendor: Vendor; vendor_settings: string | null; manage_state?: number } {
  const sent = blocks.filter((b) => input[b] !== undefined && input[b] !== null);
  if (sent.length > 1) throw invalidField([sent[1]!], `only one vendor settings block may be given (also got ${sent[0]}): send the block of the stack's vendor`);
  const current = (row?.vendor ?? "TERRAFORM") as Vendor;
  const fromBlock = sent[0] ? (Object.entries(vendorBlockOf).find(([, b]) => b === sent[0])![0] as Vendor) : undefined;
  const vendor = input.vendor ?? fromBlock ?? current;
  if (fromBlock && fromBlock !== vendor) {
    throw invalidField([sent[0]!], `is the settings block of ${fromBlock} stacks, but the stack's vendor is ${vendor}: send the ${vendorBlockOf[vendor] ?? "top-level terraform"} settings instead, or vendor ${fromBlock}`);
  }
  const refusal = notInstalled[vendor];
  if (refusal) throw new AppError("not_supported", refusal, { issues: [{ path: ["vendor"], message: refusal }] });

  const merged = {
    workflowTool: input.workflowTool ?? row?.workflow_tool ?? "TERRAFORM",
    terraformVersion: input.terraformVersion !== undefined ? input.terraformVersion : (row?.terraform_version ?? null),
    administrative: input.administrative ?? (row ? row.administrative === 1 : false),
    manageState: input.manageState ?? (row ? row.manage_state === 1 : undefined),
  };
  if (isTerraform(vendor)) return { vendor, vendor_settings: null, ...(row || merged.manageState !== undefined ? {} : { manage_state: 1 }) };

  const why = `is a terraform setting and a ${vendor} stack does not run terraform`;
  if (merged.workflowTool !== "TERRAFORM") throw invalidField(["workflowTool"], `${why}: leave it TERRAFORM`);
  if (merged.terraformVersion !== null) throw invalidField(["terraformVersion"], `${why}: set it to null`);
  if (merged.administrative) throw invalidField(["administrative"], `${why} (administrative stacks manage Gantry through its terraform provider): set it to false`);
  if (merged.manageState === true) throw invalidField(["manageState"], `${why}, so there is no Terraform state to manage: set it to false`);

  const keep = row && current === vendor && row.vendor_settings ? parseJson<object>(row.vendor_settings) : undefined;
  if (vendor === "KUBERNETES") {
    const settings: KubernetesSettings = input.kubernetes ?? (keep as KubernetesSettings | undefined) ?? { namespace: "", kubectlVersion: null };
    return { vendor, vendor_settings: JSON.stringify(settings), manage_state: 0 };
  }
  const settings = input.ansible ?? (keep as AnsibleSettings | undefined);
  if (!settings) throw invalidField(["ansible", "playbook"], "an ANSIBLE stack needs the playbook it runs: send ansible: {playbook: \"site.yml\"} (a path relative to the project root)");
  return { vendor, vendor_settings: JSON.stringify(settings), manage_state: 0 };
}

/** The API's view of the vendor columns: the vendor and its one settings block, the others null. */
export function vendorFromRow(r: StacksTable): Pick<Stack, "vendor" | Block> {
  const vendor = (r.vendor ?? "TERRAFORM") as Vendor;
  const block = vendorBlockOf[vendor];
  const out: Pick<Stack, "vendor" | Block> = { vendor, kubernetes: null, ansible: null, pulumi: null, cloudformation: null };
  if (block && r.vendor_settings) (out as Record<string, unknown>)[block] = parseJson(r.vendor_settings);
  return out;
}
