import { SelectField, TextField } from "../../app/forms.js";
import type { RunnableVendor, StackSettings } from "./stack-settings.js";

type Set = <K extends keyof StackSettings>(k: K) => (x: StackSettings[K]) => void;

/**
 * The tool a stack runs and that tool's settings block (Spacelift's vendor blocks): only the
 * fields of the chosen vendor are shown, and only they are sent.
 */
export function StackToolFields({ v, set, error }: { v: StackSettings; set: Set; error: unknown }) {
  return (
    <fieldset>
      <legend>Tool</legend>
      <SelectField name="vendor" label="Vendor" value={v.vendor} onChange={(x) => set("vendor")(x as RunnableVendor)} error={error}
        options={[{ value: "TERRAFORM", label: "Terraform / OpenTofu" }, { value: "KUBERNETES", label: "Kubernetes (kubectl)" }, { value: "ANSIBLE", label: "Ansible" }]}
        hint="Pulumi and CloudFormation stacks are not supported yet on these workers (see docs/vendors.md)" />
      {v.vendor === "TERRAFORM" ? (
        <>
          <SelectField name="workflowTool" label="Workflow tool" value={v.workflowTool} onChange={(x) => set("workflowTool")(x as StackSettings["workflowTool"])} error={error} options={[{ value: "TERRAFORM", label: "Terraform" }, { value: "OPEN_TOFU", label: "OpenTofu" }]} />
          <TextField name="terraformVersion" label="Version" value={v.terraformVersion} onChange={set("terraformVersion")} error={error} hint="an exact version such as 1.11.4; empty uses the worker's" />
        </>
      ) : null}
      {v.vendor === "KUBERNETES" ? (
        <>
          <TextField name="kubernetes.namespace" label="Namespace" value={v.kubernetesNamespace} onChange={set("kubernetesNamespace")} error={error} hint="for objects that name none; empty uses the kubeconfig context's" />
          <TextField name="kubernetes.kubectlVersion" label="kubectl version" value={v.kubectlVersion} onChange={set("kubectlVersion")} error={error} hint="an exact version such as 1.32.4; empty uses the worker's" />
        </>
      ) : null}
      {v.vendor === "ANSIBLE" ? (
        <TextField name="ansible.playbook" label="Playbook" value={v.ansiblePlaybook} onChange={set("ansiblePlaybook")} error={error} hint="the playbook file, relative to the project root, e.g. site.yml" />
      ) : null}
    </fieldset>
  );
}
