/**
 * An Ansible stack end to end: the real worker runs the real ansible-playbook (Debian's
 * ansible-core) against localhost with `connection: local`, the inventory from the repository and
 * the vault password from a write-only variable. Every file the playbook manages lives under a
 * temporary directory (never the machine's own /etc). Check mode plans; a tracked run waits for
 * approval and confirmation; a task touching an `etc/sudoers` is refused by a plan policy; a file
 * changed behind the stack's back is drift; a destroy run removes what the playbook made.
 * Policies see ansible's aggregate stats as Spacelift documents them (`input.ansible.changed`, ...),
 * and `set_stats` data become the stack's outputs.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, waitForRun, type Repo } from "./fixtures.js";

const VAULT_PASSWORD = "correct-horse-battery-staple";

const playbook = (vaulted: string, sudoers: boolean) => `- name: configure the host
  hosts: all
  gather_facts: false
  vars:
    target: "{{ lookup('env', 'TARGET_DIR') }}"
    gone: "{{ gantry_destroy | default(false) | bool }}"
    db_password: ${vaulted.replace(/\n/g, "\n      ")}
  tasks:
    - name: write motd
      ansible.builtin.copy:
        dest: "{{ target }}/motd"
        content: "welcome\\n"
      when: not gone
    - name: write the database password
      ansible.builtin.copy:
        dest: "{{ target }}/db-password"
        content: "{{ db_password }}"
        mode: "0600"
      no_log: true
      when: not gone
    - name: remove what the stack made
      ansible.builtin.file:
        path: "{{ target }}/{{ item }}"
        state: absent
      loop: [motd, db-password]
      when: gone
    - name: publish the stack's outputs
      ansible.builtin.set_stats:
        data:
          motd_path: "{{ target }}/motd"
          managed_files: 2
${sudoers ? `    - name: let the deploy user sudo
      ansible.builtin.lineinfile:
        path: "{{ target }}/etc/sudoers"
        line: "deploy ALL=(ALL) NOPASSWD: ALL"
        create: true
` : ""}`;

const sudoersPolicy = `package spacelift
import rego.v1
deny contains sprintf("task %q on %s touches %s", [c.task, c.host, c.args.path]) if {
  some c in input.ansible.changes
  endswith(c.args.path, "/etc/sudoers")
}`;

/** Spacelift's own style (Rego v0, its documented input.ansible keys), warning on proposed runs only. */
const statsPolicy = `package spacelift
warn[sprintf("would change %v of %v processed hosts", [input.ansible.changed, count(input.ansible.processed)])] {
  input.spacelift.run.type == "PROPOSED"
  input.ansible.changed != {}
  input.ansible.dark == {}
  input.ansible.failures == {}
}`;

const approvalPolicy = `package spacelift
import rego.v1
approve if input.run.state == "QUEUED"
approve if count(input.reviews.current.approvals) >= 1`;

describe("an Ansible stack with the real ansible-playbook", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let repo: Repo;
  let target: string;
  let vaulted: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "gantry-ansible-e2e-"));
    target = join(dir, "host");
    const passFile = join(dir, "vault-pass");
    writeFileSync(passFile, VAULT_PASSWORD);
    vaulted = execFileSync("ansible-vault", ["encrypt_string", "--vault-password-file", passFile, "s3cr3t-db-pass"], { encoding: "utf8" }).trim();
    // Runs are started by hand: the VCS poller would add a tracked run of each new commit (held by
    // the approval policy) whenever a slow machine lets a minute pass, queueing later runs behind it.
    t = await startTestServer("sqlite", { settings: { vcsPollSeconds: 0 } });
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 1, workDir: join(dir, "worker"), claimWaitMs: 5000 });
    await worker.ready;
    repo = makeRepo({ "ansible/site.yml": playbook(vaulted, false), "ansible/inventory": "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n" });
    await t.admin.call("createPolicy", { body: { id: "no-sudoers", name: "no-sudoers", type: "PLAN", body: sudoersPolicy, labels: ["autoattach:hosts"] } });
    await t.admin.call("createPolicy", { body: { id: "ansible-stats", name: "ansible-stats", type: "PLAN", body: statsPolicy, regoVersion: "V0", labels: ["autoattach:hosts"] } });
    await t.admin.call("createPolicy", { body: { id: "hosts-approval", name: "hosts-approval", type: "APPROVAL", body: approvalPolicy, labels: ["autoattach:hosts"] } });
    await t.admin.call("createStack", { body: { id: "hosts", name: "hosts", repository: repo.path, projectRoot: "ansible", labels: ["hosts"], vendor: "ANSIBLE", ansible: { playbook: "site.yml" } } });
    execFileSync("mkdir", ["-p", target]);
    await t.admin.call("putStackVariable", { params: { id: "hosts", name: "TARGET_DIR" }, body: { value: target, writeOnly: false } });
    await t.admin.call("putStackVariable", { params: { id: "hosts", name: "ANSIBLE_VAULT_PASSWORD" }, body: { value: VAULT_PASSWORD, writeOnly: true } });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  const run = async (type: "PROPOSED" | "TRACKED" | "DESTROY", until?: Parameters<typeof waitForRun>[2]) => waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "hosts" }, body: { type } })).id, until, 180_000);
  const approveAndConfirm = async (id: string) => {
    await t.admin.call("reviewRun", { params: { id }, body: { decision: "approve" } });
    await t.admin.call("confirmRun", { params: { id } });
    const done = await waitForRun(t.admin, id, undefined, 180_000);
    expect(done.state, `${done.failureReason}\n${await runLog(t.admin, id)}`).toBe("FINISHED");
    return done;
  };

  it("plans in check mode, applies after approval, refuses a sudoers task, finds drift and destroys", async () => {
    const proposed = await run("PROPOSED");
    const log = await runLog(t.admin, proposed.id);
    expect(proposed.state, `${proposed.failureReason}\n${log}`).toBe("FINISHED");
    expect(proposed.delta).toMatchObject({ added: 0, changed: 2, deleted: 0 });
    expect(log).toContain("--check --diff");
    expect(log).toContain("would change 1 host (localhost)");
    expect(proposed.policyReceipts.find((r) => r.policyId === "ansible-stats")).toMatchObject({ outcome: "warn", messages: { warn: ['would change {"localhost": 2} of 1 processed hosts'] } });
    expect(existsSync(join(target, "motd"))).toBe(false);
    expect(log).not.toContain(VAULT_PASSWORD);
    expect(log).not.toContain("s3cr3t-db-pass");

    const tracked = await run("TRACKED", ["UNCONFIRMED", "FAILED", "FINISHED"]);
    expect(tracked.state, tracked.failureReason ?? "").toBe("UNCONFIRMED");
    await approveAndConfirm(tracked.id);
    expect(readFileSync(join(target, "motd"), "utf8")).toBe("welcome\n");
    expect(readFileSync(join(target, "db-password"), "utf8")).toBe("s3cr3t-db-pass");
    expect(await runLog(t.admin, tracked.id)).not.toContain("s3cr3t-db-pass");
    expect(await t.admin.call("stackOutputs", { params: { id: "hosts" } })).toEqual({ motd_path: join(target, "motd"), managed_files: 2 });

    expect(await run("PROPOSED")).toMatchObject({ state: "FINISHED", delta: { changed: 0 } });

    repo.commit({ "ansible/site.yml": playbook(vaulted, true) }, "sudo for deploy");
    const denied = await run("TRACKED");
    expect(denied.state).toBe("FAILED");
    expect(denied.failureReason).toContain(`task "let the deploy user sudo" on localhost touches ${target}/etc/sudoers`);
    expect(existsSync(join(target, "etc"))).toBe(false);
    repo.commit({ "ansible/site.yml": playbook(vaulted, false) }, "no sudo after all");

    writeFileSync(join(target, "motd"), "hacked\n");
    const check = await waitForRun(t.admin, (await t.admin.call("createDriftCheck", { params: { id: "hosts" } })).id, undefined, 180_000);
    expect(check.state, `${check.failureReason}\n${await runLog(t.admin, check.id)}`).toBe("FINISHED");
    expect(check).toMatchObject({ driftDetection: true, delta: { changed: 1 } });
    expect((await t.admin.call("getStack", { params: { id: "hosts" } })).drift).toMatchObject({ resources: ["localhost/write motd"] });

    const destroy = await run("DESTROY", ["UNCONFIRMED", "FAILED", "FINISHED"]);
    expect(destroy.state, destroy.failureReason ?? "").toBe("UNCONFIRMED");
    await approveAndConfirm(destroy.id);
    expect(existsSync(join(target, "motd"))).toBe(false);
    expect(existsSync(join(target, "db-password"))).toBe(false);
  }, 600_000);

  it("reads the inventory from a mounted file and refuses a readable vault password", async () => {
    const bare = makeRepo({ "site.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: say hi\n      ansible.builtin.debug: {msg: hi}\n" });
    await t.admin.call("createStack", { body: { id: "mounted", name: "mounted", repository: bare.path, ansible: { playbook: "site.yml" } } });
    await t.admin.call("putStackFile", { params: { id: "mounted" }, body: { relativePath: "inv/hosts", content: Buffer.from("mounted-host ansible_host=127.0.0.1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n").toString("base64"), writeOnly: false } });
    await t.admin.call("putStackVariable", { params: { id: "mounted", name: "ANSIBLE_INVENTORY" }, body: { value: "inv/hosts", writeOnly: false } });
    await t.admin.call("putStackVariable", { params: { id: "mounted", name: "ANSIBLE_VAULT_PASSWORD" }, body: { value: "readable", writeOnly: false } });
    const refused = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "mounted" }, body: { type: "PROPOSED" } })).id, undefined, 180_000);
    expect(refused.state).toBe("FAILED");
    expect(refused.failureReason).toContain("ANSIBLE_VAULT_PASSWORD is a plain variable: make it write-only");

    await t.admin.call("putStackVariable", { params: { id: "mounted", name: "ANSIBLE_VAULT_PASSWORD" }, body: { value: "now-write-only", writeOnly: true } });
    const planned = await waitForRun(t.admin, (await t.admin.call("createRun", { params: { id: "mounted" }, body: { type: "PROPOSED" } })).id, undefined, 180_000);
    const log = await runLog(t.admin, planned.id);
    expect(planned.state, `${planned.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toContain("ok: [mounted-host]");
    expect(planned.delta).toMatchObject({ changed: 0 });
  }, 400_000);
});
