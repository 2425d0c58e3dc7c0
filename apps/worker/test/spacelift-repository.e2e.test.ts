/**
 * A Spacelift repository's run settings, with the real terraform: `.spacelift/config.yml` at the
 * repository root (hooks, project root, environment, per stack and as defaults) is applied as
 * Spacelift does, a key Gantry does not support fails the run naming file:line:col and key, and the
 * run sees Spacelift's TF_VAR_spacelift_* environment with Gantry's values.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, simpleConfig, waitForRun, type Repo } from "./fixtures.js";

const runtimeConfig = `version: "1"

stack_defaults:
  before_init:
    - echo "defaults hook for $TF_VAR_spacelift_stack_id"
  environment:
    FROM_DEFAULTS: "d"

stacks:
  configured: &shared
    project_root: infra
    before_plan:
      - echo "plan hook sees $SPECIFIC, defaults env '\${FROM_DEFAULTS:-unset}', greeting $TF_VAR_greeting"
    environment:
      SPECIFIC: "s"
      TF_VAR_greeting: from-config
  inherits:
    <<: *shared
    after_plan:
      - echo "inherits after_plan"
  imaged:
    project_root: infra
    runner_image: public.ecr.aws/spacelift/runner-terraform:latest
  misspelled:
    befor_init:
      - echo never
`;

const spaceliftVariables = `
variable "spacelift_stack_id" {
  type = string
}
variable "spacelift_run_type" {
  type = string
}
output "seen" {
  value = "\${var.spacelift_stack_id}/\${var.spacelift_run_type}"
}
`;

describe("a Spacelift repository's runtime configuration and environment (sqlite)", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: Repo;

  beforeAll(async () => {
    t = await startTestServer("sqlite");
    repo = makeRepo({ ".spacelift/config.yml": runtimeConfig, "infra/main.tf": simpleConfig + spaceliftVariables, "main.tf": 'output "root" {\n  value = "wrong project root"\n}\n' });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-worker-spacelift-")), claimWaitMs: 5000 });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  const proposed = async (id: string, extra: Record<string, unknown> = {}) => {
    await t.admin.call("createStack", { body: { id, name: id, repository: repo.path, manageState: false, ...extra } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id }, body: { type: "PROPOSED" } })).id);
    return { run, log: await runLog(t.admin, run.id) };
  };

  it("applies stacks.<id> over the stack's settings, stack_defaults under them, and the file's environment over the stack's", async () => {
    await t.admin.call("createStack", { body: { id: "configured", name: "configured", repository: repo.path, manageState: false, labels: ["team:platform", "env:dev"] } });
    await t.admin.call("putStackVariable", { params: { id: "configured", name: "TF_VAR_greeting" }, body: { value: "from-stack" } });
    const run = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "configured" }, body: { type: "PROPOSED" } })).id);
    const log = await runLog(t.admin, run.id);
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain(".spacelift/config.yml: project_root \"infra\" (stacks.configured)");
    expect(log).toContain("defaults hook for configured");
    // stacks.<id>.environment replaces stack_defaults.environment (Spacelift does not merge maps).
    expect(log).toContain("plan hook sees s, defaults env 'unset', greeting from-config");
    expect(log).toContain('+ input  = "from-config"');
    // Spacelift's run variables reach terraform as input variables.
    expect(log).toContain('+ seen     = "configured/PROPOSED"');
    expect(log).not.toContain("wrong project root");
  });

  it("follows YAML merge keys, as Spacelift's documentation suggests", async () => {
    const { run, log } = await proposed("inherits");
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("plan hook sees s");
    expect(log).toContain("inherits after_plan");
  });

  it("uses stack_defaults alone for a stack the file does not name, and the stack's own hook over the default", async () => {
    const { run, log } = await proposed("unnamed", { projectRoot: "infra", hooks: { beforeInit: ['echo "own hook"'] } });
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("own hook");
    expect(log).not.toContain("defaults hook");
    expect(log).toContain("environment: FROM_DEFAULTS (stack_defaults)");
  });

  it("fails a run whose settings use a key Gantry does not support, naming file:line:col and the key", async () => {
    const imaged = await proposed("imaged");
    expect(imaged.run.state).toBe("FAILED");
    expect(imaged.run.failureReason).toContain(".spacelift/config.yml:23:5: stacks.imaged.runner_image is not supported by Gantry");
    const misspelled = await proposed("misspelled");
    expect(misspelled.run.state).toBe("FAILED");
    expect(misspelled.run.failureReason).toContain(".spacelift/config.yml:25:5: stacks.misspelled.befor_init is not a stack setting of the runtime configuration (known: before_init, after_init");
  });

  it("gives hooks Spacelift's TF_VAR_spacelift_* variables with Gantry's values", async () => {
    const { run, log } = await proposed("envdump", {
      projectRoot: "infra",
      labels: ["a:1", "b"],
      hooks: { afterInit: ["env | grep '^TF_VAR_spacelift_' | sort"] },
    });
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    const seen = Object.fromEntries([...log.matchAll(/^(TF_VAR_spacelift_\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(seen).toMatchObject({
      TF_VAR_spacelift_account_name: new URL(t.url).host,
      TF_VAR_spacelift_commit_branch: "main",
      TF_VAR_spacelift_commit_sha: run.commit.sha,
      TF_VAR_spacelift_local_preview: "false",
      TF_VAR_spacelift_project_root: "infra",
      TF_VAR_spacelift_run_id: run.id,
      TF_VAR_spacelift_run_state: "PLANNING",
      TF_VAR_spacelift_run_type: "PROPOSED",
      TF_VAR_spacelift_space_id: "root",
      TF_VAR_spacelift_stack_branch: "main",
      TF_VAR_spacelift_stack_id: "envdump",
      TF_VAR_spacelift_stack_labels: "a:1,b",
      TF_VAR_spacelift_stack_labels_list: '["a:1","b"]',
    });
    expect(seen.TF_VAR_spacelift_repository).toMatch(/^[^/]+\/gantry-repo-\w+$/);
    expect(seen.TF_VAR_spacelift_run_trigger).toBeTruthy();
    expect(seen.TF_VAR_spacelift_workspace_root).toMatch(/^\//);
  });
});
