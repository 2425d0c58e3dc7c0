/**
 * `gantry stack dependency add|list|remove`, `gantry stack outputs` and `gantry stack deploy
 * --with-dependents`: the real command as child processes against a real server (no worker, so
 * runs stay where the scheduler put them).
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

describe("gantry stack dependency", () => {
  it("adds with references, lists both directions, refuses a cycle and bad refs, deploys with dependents, removes", async () => {
    for (const id of ["network", "cluster", "services"]) await t.admin.call("createStack", { body: { id, name: id, repository: "/srv/git/x.git" } });
    const add = await gantry(["stack", "dependency", "add", "cluster", "--on", "network", "--ref", "vpc_id=TF_VAR_vpc_id", "--ref", "token=NETWORK_TOKEN"]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^references:\s+vpc_id=TF_VAR_vpc_id, token=NETWORK_TOKEN$/m);
    const [second, cycle, badRef, badName] = await Promise.all([
      gantry(["stack", "dependency", "add", "services", "--on", "cluster"]),
      gantry(["stack", "dependency", "add", "network", "--on", "cluster"]),
      gantry(["stack", "dependency", "add", "services", "--on", "network", "--ref", "no-equals-sign"]),
      gantry(["stack", "dependency", "add", "services", "--on", "network", "--ref", "vpc_id=1bad"]),
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(cycle.code).toBe(1);
    expect(cycle.stderr).toContain("network -> cluster -> network");
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain("OUTPUT=ENV_NAME");
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain("inputName");
    // The refused reference took its new dependency with it: nothing half-made.
    expect((await t.admin.call("listStackDependencies", { params: { id: "services" } })).dependsOn.map((d) => d.dependsOnStackId)).toEqual(["cluster"]);

    const list = await gantry(["stack", "dependency", "list", "cluster"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^depends on\s+network\s+vpc_id=TF_VAR_vpc_id, token=NETWORK_TOKEN\s/m);
    expect(list.stdout).toMatch(/^dependent\s+services\s+-\s/m);

    const [outputs, outputsJson] = await Promise.all([gantry(["stack", "outputs", "network"]), gantry(["stack", "outputs", "network", "-o", "json"])]);
    expect(outputs.stdout.trim()).toBe("stack network has no outputs (it has not applied, or declares none)");
    expect(JSON.parse(outputsJson.stdout)).toEqual({});

    const deploy = await gantry(["stack", "deploy", "network", "--with-dependents", "-o", "json"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const runs = JSON.parse(deploy.stdout) as { id: string; stackId: string; state: string }[];
    expect(runs.map((r) => [r.stackId, r.state])).toEqual([["network", "READY"], ["cluster", "QUEUED"], ["services", "QUEUED"]]);
    const show = await gantry(["run", "show", runs[2]!.id]);
    expect(show.stdout).toMatch(new RegExp(`^waiting:\\s+waiting for dependencies: network \\(run ${runs[0]!.id} READY\\), cluster \\(run ${runs[1]!.id} QUEUED\\)$`, "m"));

    const [removeRef, missing] = await Promise.all([
      gantry(["stack", "dependency", "remove", "cluster", "--on", "network", "--ref", "NETWORK_TOKEN"]),
      gantry(["stack", "dependency", "remove", "services", "--on", "network"]),
    ]);
    expect(removeRef.code, removeRef.stderr).toBe(0);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("services does not depend on network");
    const remove = await gantry(["stack", "dependency", "remove", "services", "--on", "cluster"]);
    expect(remove.code, remove.stderr).toBe(0);
    const after = await t.admin.call("listStackDependencies", { params: { id: "cluster" } });
    expect(after.dependsOn[0]!.references.map((r) => r.inputName)).toEqual(["TF_VAR_vpc_id"]);
    expect(after.dependents).toEqual([]);
  }, 400_000);
});
