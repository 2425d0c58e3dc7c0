import { WorkerError } from "../errors.js";
import { resolveBinary, type BinarySources } from "../tools.js";
import { ansibleAdapter } from "./ansible.js";
import { kubernetesAdapter } from "./kubernetes.js";
import { terraformAdapter } from "./terraform.js";
import type { VendorAdapter, VendorRun } from "./vendor.js";

export type VendorToolOptions = BinarySources;

/** The adapter of the job's vendor, with its tool found on this worker (or a refusal saying how to install it). */
export async function vendorAdapter(run: VendorRun, opts: VendorToolOptions): Promise<VendorAdapter> {
  const { job } = run;
  switch (job.vendor) {
    case "TERRAFORM": {
      const bin = await resolveBinary(job.workflowTool, job.terraformVersion, opts);
      if (bin.warning) run.log.info(bin.warning);
      return terraformAdapter(run, bin.path);
    }
    case "KUBERNETES":
      return kubernetesAdapter(run, job.kubernetes ?? { namespace: "", kubectlVersion: null }, opts.toolsDir);
    case "ANSIBLE":
      if (!job.ansible) throw new WorkerError("phase", "the ANSIBLE stack has no playbook setting: set the stack's ansible.playbook");
      return ansibleAdapter(run, job.ansible);
    default:
      // The server refuses these at stack creation; a job for one means a newer server than worker.
      throw new WorkerError("binary", `vendor ${job.vendor} cannot run on this worker: see docs/vendors.md for the workers it needs`);
  }
}
