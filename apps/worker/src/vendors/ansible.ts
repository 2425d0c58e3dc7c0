import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { AnsibleSettings, RunDelta } from "@gantry/contract";
import { WorkerError } from "../errors.js";
import { exec } from "../exec.js";
import { inside } from "../workspace/prepare.js";
import { GANTRY_JSON_CALLBACK } from "./ansible-callback.js";
import type { PlanResult, VendorAdapter, VendorRun } from "./vendor.js";

/** The write-only variable whose value unlocks the playbook's vault-encrypted files and strings. */
export const VAULT_PASSWORD_VARIABLE = "ANSIBLE_VAULT_PASSWORD";
const INVENTORY_CANDIDATES = ["inventory", "inventory.ini", "inventory.yml", "inventory.yaml", "hosts", "hosts.ini", "hosts.yml"];

interface TaskResult { status: string; action: string; changed?: boolean; args?: unknown; diff?: unknown; msg?: string }
interface CallbackDocument {
  plays: { play: { name: string }; tasks: { task: { name: string; action: string }; hosts: Record<string, TaskResult> }[] }[];
  stats: Record<string, { changed: number; ok: number; failures: number; unreachable: number; skipped: number }>;
  /** ansible's aggregate stats maps (Spacelift's input.ansible keys): processed, ok, changed, dark, failures, ... */
  custom?: Record<string, Record<string, unknown>>;
}

/** `set_stats` data not kept per host: the stack's outputs (docs/vendors.md, "Outputs"). */
const RUN_STATS = "_run";

/**
 * Ansible stacks with the real ansible-playbook: plan is the playbook in check mode with diffs,
 * recorded by Gantry's JSON callback (ansible-callback.py) and handed to policies as
 * `input.ansible`; apply runs the playbook. A DESTROY run runs it with `gantry_destroy=true`,
 * for playbooks that know how to remove what they made (see docs/vendors.md).
 */
export function ansibleAdapter(run: VendorRun, settings: AnsibleSettings): VendorAdapter {
  const { job, project, runDir, log, signal } = run;
  const resultFile = join(runDir, "ansible-result.json");
  const pluginDir = join(runDir, "ansible-callbacks");

  /** Inventory: ANSIBLE_INVENTORY from the environment (mounted files are workspace-relative), else a conventional file in the project. */
  function inventoryArgs(env: Record<string, string>): string[] {
    if (env.ANSIBLE_INVENTORY) return [];
    const found = INVENTORY_CANDIDATES.find((f) => existsSync(join(project, f)));
    return found ? ["-i", found] : [];
  }

  function environment(): Record<string, string> {
    const env = { ...run.env() };
    if (env.ANSIBLE_INVENTORY && !isAbsolute(env.ANSIBLE_INVENTORY)) env.ANSIBLE_INVENTORY = join(run.workspace, env.ANSIBLE_INVENTORY);
    mkdirSync(pluginDir, { recursive: true });
    writeFileSync(join(pluginDir, "gantry_json.py"), GANTRY_JSON_CALLBACK);
    return {
      ...env,
      ANSIBLE_CALLBACK_PLUGINS: pluginDir,
      ANSIBLE_CALLBACKS_ENABLED: "gantry_json",
      ANSIBLE_NOCOLOR: "1",
      ANSIBLE_RETRY_FILES_ENABLED: "0",
      ANSIBLE_LOCAL_TEMP: join(runDir, "ansible-tmp"),
      GANTRY_ANSIBLE_RESULT: resultFile,
    };
  }

  /** The vault password goes to a file outside the archived workspace, readable by the run only. */
  function vaultArgs(): string[] {
    const v = [...job.variables].reverse().find((x) => x.name === VAULT_PASSWORD_VARIABLE);
    if (!v) return [];
    if (!v.secret) throw new WorkerError("phase", `${VAULT_PASSWORD_VARIABLE} is a plain variable: make it write-only (it unlocks the playbook's secrets and would be shown to every reader)`);
    const file = join(runDir, "vault-password");
    writeFileSync(file, v.value, { mode: 0o600 });
    return ["--vault-password-file", file];
  }

  async function playbook(extra: string[]): Promise<void> {
    // A document left by an earlier phase must never pass for this one's.
    rmSync(resultFile, { force: true });
    const env = environment();
    const args = [...inventoryArgs(env), ...vaultArgs(), ...extra, settings.playbook];
    log.write(`$ ansible-playbook ${args.join(" ")}\n`);
    const r = await exec("ansible-playbook", args, { cwd: project, env, log, signal });
    if (r.code !== 0) throw new WorkerError("phase", `ansible-playbook exited with code ${r.code}: see the log above`);
  }

  const destroyVars = (destroy: boolean) => (destroy ? ["--extra-vars", "gantry_destroy=true"] : []);

  return {
    async init() {
      inside(project, settings.playbook);
      if (!existsSync(join(project, settings.playbook))) throw new WorkerError("phase", `the playbook ${JSON.stringify(settings.playbook)} does not exist in the project root: fix the stack's ansible.playbook`);
      const version = await exec("ansible-playbook", ["--version"], { cwd: project, env: run.env(), log, signal, capture: true });
      if (version.code !== 0) throw new WorkerError("binary", "ansible-playbook is not installed on this worker: install ansible-core (Debian: apt-get install ansible-core)");
      log.info(version.stdout.split("\n")[0] ?? "ansible-playbook");
    },

    async plan(destroy): Promise<PlanResult> {
      await playbook(["--check", "--diff", ...destroyVars(destroy)]);
      if (!existsSync(resultFile)) throw new WorkerError("phase", "ansible-playbook wrote no result document: is the gantry_json callback allowed by the project's ansible.cfg?");
      const result = JSON.parse(readFileSync(resultFile, "utf8")) as CallbackDocument;
      const changes = result.plays.flatMap((p) =>
        p.tasks.flatMap((t) =>
          Object.entries(t.hosts)
            .filter(([, r]) => r.changed)
            .map(([host, r]) => ({ address: `${host}/${t.task.name}`, action: "update", host, play: p.play.name, task: t.task.name, module: t.task.action, args: r.args ?? null, diff: r.diff ?? null })),
        ),
      );
      const delta: RunDelta = { added: 0, changed: changes.length, deleted: 0, outputs: 0 };
      const hostsChanging = [...new Set(changes.map((c) => c.host))];
      log.info(`plan: ${changes.length} task result${changes.length === 1 ? "" : "s"} would change ${hostsChanging.length} host${hostsChanging.length === 1 ? "" : "s"}${hostsChanging.length ? ` (${hostsChanging.join(", ")})` : ""}`);
      writeFileSync(join(project, ".gantry-ansible-plan.json"), JSON.stringify(result));
      const document = { ...result, changes, hosts_changing: hostsChanging };
      return { earlyApply: false, document: Promise.resolve({ planJson: JSON.stringify(document), delta }) };
    },

    async apply(destroy) {
      await playbook([...destroyVars(destroy)]);
    },

    async outputs() {
      if (!existsSync(resultFile)) return null;
      const result = JSON.parse(readFileSync(resultFile, "utf8")) as CallbackDocument;
      const outputs = result.custom?.[RUN_STATS] ?? {};
      log.info(`outputs (set_stats): ${Object.keys(outputs).sort().join(", ") || "none"}`);
      return outputs;
    },

    savedPlan() {
      return readFileSync(join(project, ".gantry-ansible-plan.json"));
    },
  };
}
