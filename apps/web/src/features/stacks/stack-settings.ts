import type { Stack } from "@gantry/contract";
import { splitList } from "../../app/forms.js";
import { hooksBody, hooksText, type HooksText } from "../../app/hooks-fields.js";


/** The vendors these workers can run; PULUMI and CLOUDFORMATION are refused by the server (docs/vendors.md). */
export type RunnableVendor = "TERRAFORM" | "KUBERNETES" | "ANSIBLE";

/** A stack's settings as the form edits them: text as typed, lists one per line or comma-separated. */
export interface StackSettings {
  id: string; name: string; description: string; spaceId: string; repository: string; branch: string; projectRoot: string; additionalProjectGlobs: string;
  vcsIntegrationId: string; labels: string; autodeploy: boolean; autoretry: boolean; administrative: boolean; protectFromDeletion: boolean;
  manageState: boolean; enableLocalPreview: boolean; smartSanitization: boolean;
  vendor: RunnableVendor; workflowTool: "TERRAFORM" | "OPEN_TOFU"; terraformVersion: string;
  kubernetesNamespace: string; kubectlVersion: string; ansiblePlaybook: string;
  workerPoolId: string; hooks: HooksText;
}

/** Every request field the form shows a message for (the rest are listed above the form). */
export const FIELDS = [
  "id", "name", "description", "spaceId", "repository", "branch", "projectRoot", "additionalProjectGlobs", "vcsIntegrationId", "labels",
  "autodeploy", "autoretry", "administrative", "protectFromDeletion", "manageState", "enableLocalPreview", "smartSanitization",
  "vendor", "workflowTool", "terraformVersion", "kubernetes", "ansible", "workerPoolId", "hooks",
];

export function settingsOf(s?: Stack): StackSettings {
  return {
    id: s?.id ?? "", name: s?.name ?? "", description: s?.description ?? "", spaceId: s?.spaceId ?? "root", repository: s?.repository ?? "", branch: s?.branch ?? "main",
    projectRoot: s?.projectRoot ?? "", additionalProjectGlobs: (s?.additionalProjectGlobs ?? []).join("\n"), vcsIntegrationId: s?.vcsIntegrationId ?? "",
    labels: (s?.labels ?? []).join(", "), autodeploy: s?.autodeploy ?? false, autoretry: s?.autoretry ?? false,
    administrative: s?.administrative ?? false, protectFromDeletion: s?.protectFromDeletion ?? false, manageState: s?.manageState ?? true,
    enableLocalPreview: s?.enableLocalPreview ?? false, smartSanitization: s?.smartSanitization ?? true,
    // A stack of a vendor this form cannot run (none can exist: the server refuses them) shows as TERRAFORM.
    vendor: s?.vendor === "KUBERNETES" || s?.vendor === "ANSIBLE" ? s.vendor : "TERRAFORM",
    workflowTool: s?.workflowTool ?? "TERRAFORM", terraformVersion: s?.terraformVersion ?? "",
    kubernetesNamespace: s?.kubernetes?.namespace ?? "", kubectlVersion: s?.kubernetes?.kubectlVersion ?? "", ansiblePlaybook: s?.ansible?.playbook ?? "",
    workerPoolId: s?.workerPoolId ?? "",
    hooks: hooksText(s?.hooks),
  };
}

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter((l) => l !== "");

/**
 * The request body for the settings: empty optional text is "not set" (null), never "". The
 * terraform-only settings of a KUBERNETES or ANSIBLE stack go as their neutral values (the server
 * refuses anything else for those vendors, rather than ignoring it).
 */
export function bodyOf(v: StackSettings) {
  const terraform = v.vendor === "TERRAFORM";
  return {
    name: v.name, description: v.description, spaceId: v.spaceId, repository: v.repository, branch: v.branch, projectRoot: v.projectRoot,
    additionalProjectGlobs: lines(v.additionalProjectGlobs), vcsIntegrationId: v.vcsIntegrationId || null,
    labels: splitList(v.labels), autodeploy: v.autodeploy, autoretry: v.autoretry, protectFromDeletion: v.protectFromDeletion,
    enableLocalPreview: v.enableLocalPreview, smartSanitization: v.smartSanitization, vendor: v.vendor,
    administrative: terraform && v.administrative, manageState: terraform && v.manageState,
    workflowTool: terraform ? v.workflowTool : ("TERRAFORM" as const), terraformVersion: terraform ? v.terraformVersion.trim() || null : null,
    ...(v.vendor === "KUBERNETES" ? { kubernetes: { namespace: v.kubernetesNamespace.trim(), kubectlVersion: v.kubectlVersion.trim() || null } } : {}),
    ...(v.vendor === "ANSIBLE" ? { ansible: { playbook: v.ansiblePlaybook.trim() } } : {}),
    workerPoolId: v.workerPoolId || null,
    hooks: hooksBody(v.hooks),
  };
}
