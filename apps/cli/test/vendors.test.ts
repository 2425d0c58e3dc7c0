/**
 * `gantry stack create|update|show` with vendors, as child processes against a real server: the
 * vendor flags build the settings block, `show` prints the vendor with its settings, and the
 * server's refusals (a PULUMI stack, a playbook-less ANSIBLE stack) reach the person with the
 * field and what to do.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

let t: TestServer;
let asAdmin: CliOptions;

beforeAll(async () => {
  t = await startTestServer();
  asAdmin = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "xdg") }, cwd: t.scratch };
});
afterAll(async () => t?.stop());

const gantry = (args: string[]) => runCli(args, asAdmin);

describe("gantry stack with vendors", () => {
  it("creates Kubernetes and Ansible stacks from flags and shows their settings", async () => {
    const k = await gantry(["stack", "create", "--name", "web", "--repository", "/srv/git/k8s.git", "--vendor", "KUBERNETES", "--kubernetes-namespace", "apps", "--kubectl-version", "1.32.4"]);
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).toMatch(/^vendor:\s+KUBERNETES \(namespace apps, kubectl 1\.32\.4\)$/m);
    expect(k.stdout).toMatch(/^manage state:\s+no$/m);
    expect(await t.admin.call("getStack", { params: { id: "web" } })).toMatchObject({ vendor: "KUBERNETES", kubernetes: { namespace: "apps", kubectlVersion: "1.32.4" } });

    const a = await gantry(["stack", "create", "--name", "hosts", "--repository", "/srv/git/ops.git", "--vendor", "ANSIBLE", "--ansible-playbook", "site.yml", "-o", "json"]);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ vendor: "ANSIBLE", ansible: { playbook: "site.yml" }, kubernetes: null });

    const moved = await gantry(["stack", "update", "web", "--kubernetes-namespace", "web"]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/^vendor:\s+KUBERNETES \(namespace web\)$/m);
  });

  it("reports the server's refusals with the field and what to do", async () => {
    const noPlaybook = await gantry(["stack", "create", "--name", "bare", "--repository", "/srv/git/ops.git", "--vendor", "ANSIBLE"]);
    expect(noPlaybook.code).not.toBe(0);
    expect(noPlaybook.stderr).toContain("ansible.playbook");
    expect(noPlaybook.stderr).toContain("needs the playbook");
    const pulumi = await gantry(["stack", "create", "--name", "pu", "--repository", "/srv/git/pu.git", "--vendor", "PULUMI"]);
    expect(pulumi.code).not.toBe(0);
    expect(pulumi.stderr).toContain("Pulumi engine is not installed on this Gantry's workers");
    const tofu = await gantry(["stack", "create", "--name", "tofu-kube", "--repository", "/srv/git/k.git", "--vendor", "KUBERNETES", "--workflow-tool", "OPEN_TOFU"]);
    expect(tofu.code).not.toBe(0);
    expect(tofu.stderr).toContain("workflowTool");
  });
});
