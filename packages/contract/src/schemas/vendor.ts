import { z } from "zod";

/**
 * The tool a stack runs (Spacelift's "vendor"). TERRAFORM covers terraform and tofu (the stack's
 * `workflowTool`). PULUMI and CLOUDFORMATION are part of the seam but refused at stack creation:
 * their engines cannot run on these workers (see docs/vendors.md).
 */
export const Vendor = z.enum(["TERRAFORM", "KUBERNETES", "ANSIBLE", "PULUMI", "CLOUDFORMATION"]);
export type Vendor = z.infer<typeof Vendor>;

const exactVersion = z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, "must be an exact version such as 1.32.4");

/** A path inside the repository, relative to the project root, that cannot climb out of it. */
const projectFile = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => p.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..") && !/[\\\0]/.test(p), "must be a relative path inside the project root: no leading '/', no '.', '..' or empty segments");

/** Spacelift's `kubernetes {}` block: the namespace objects go to and the kubectl to run. */
export const KubernetesSettings = z.strictObject({
  namespace: z
    .string()
    .max(63)
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, "must be a Kubernetes namespace name (lowercase letters, digits and '-'), or empty for the kubeconfig's")
    .default("")
    .describe("namespace for objects that do not name one; empty: the kubeconfig context's"),
  kubectlVersion: exactVersion.nullable().default(null).describe("exact kubectl version the worker must run; null: the one on the worker's PATH"),
});
export type KubernetesSettings = z.infer<typeof KubernetesSettings>;

/** Spacelift's `ansible {}` block. */
export const AnsibleSettings = z.strictObject({
  playbook: projectFile.describe("the playbook file, relative to the project root"),
});
export type AnsibleSettings = z.infer<typeof AnsibleSettings>;

/** Spacelift's `pulumi {}` block (accepted by the schema, refused at creation: no engine here). */
export const PulumiSettings = z.strictObject({
  loginUrl: z.string().min(1).max(2048),
  stackName: z.string().min(1).max(255),
});
export type PulumiSettings = z.infer<typeof PulumiSettings>;

/** Spacelift's `cloudformation {}` block (accepted by the schema, refused at creation: no engine here). */
export const CloudFormationSettings = z.strictObject({
  entryTemplateFile: projectFile,
  region: z.string().min(1).max(64),
  stackName: z.string().min(1).max(128),
  templateBucket: z.string().min(1).max(255),
});
export type CloudFormationSettings = z.infer<typeof CloudFormationSettings>;

/** The per-vendor settings blocks of a stack, each null unless the stack is of that vendor. */
export const vendorBlocks = {
  kubernetes: KubernetesSettings.nullable(),
  ansible: AnsibleSettings.nullable(),
  pulumi: PulumiSettings.nullable(),
  cloudformation: CloudFormationSettings.nullable(),
};

/** Which settings block belongs to which vendor (TERRAFORM has none: its settings are top-level). */
export const vendorBlockOf: Record<Vendor, keyof typeof vendorBlocks | null> = {
  TERRAFORM: null,
  KUBERNETES: "kubernetes",
  ANSIBLE: "ansible",
  PULUMI: "pulumi",
  CLOUDFORMATION: "cloudformation",
};
