import type { VcsEventResult, VcsIntegration } from "@gantry/contract";
import type { Command } from "commander";
import { orDash, printDone, printJson, printList, printOne, renderTable, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { usageError } from "../errors.js";

const columns: Column<VcsIntegration>[] = [
  { header: "id", value: (i) => i.id },
  { header: "name", value: (i) => i.name },
  { header: "provider", value: (i) => i.provider },
  { header: "space", value: (i) => i.spaceId },
  { header: "api base url", value: (i) => orDash(i.apiBaseUrl) },
  { header: "token", value: (i) => (i.tokenChecksum ? `set (${i.tokenChecksum})` : "-") },
  { header: "webhook secret", value: (i) => (i.webhookSecretChecksum ? `set (${i.webhookSecretChecksum})` : "-") },
  { header: "webhook path", value: (i) => orDash(i.webhookPath) },
];

/** One post-receive line: `<old-sha> <new-sha> <ref>`. */
export function parsePostReceive(text: string): { before: string; after: string; ref: string }[] {
  return text.split("\n").map((l) => l.trim()).filter(Boolean).map((line) => {
    const [before, after, ref] = line.split(/\s+/);
    if (!before || !after || !ref) throw usageError(`expected "<old-sha> <new-sha> <ref>" on stdin (as git's post-receive hook gets it), got ${JSON.stringify(line)}`);
    return { before, after, ref };
  });
}

/** `gantry vcs ...`: VCS integrations, and `notify` for git hooks of servers that cannot send webhooks. */
export function vcsCommand(rt: Runtime, program: Command): void {
  const vcs = program.command("vcs").description("VCS integrations and push notifications from git hooks");
  const integration = vcs.command("integration").description("manage GitHub and raw git integrations");

  integration.command("list").description("VCS integrations you can read").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listVcsIntegrations", { query: {} })).items, columns, "no VCS integrations");
  });
  integration.command("show <id>").description("one VCS integration (secrets are never shown)").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getVcsIntegration", { params: { id } }), columns);
  });
  integration
    .command("create")
    .description("create an integration; GitHub's token and webhook secret are read from the environment or a prompt, never from flags")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--provider <provider>", "GITHUB or RAW_GIT")
    .option("--id <id>", "slug id (default: from the name)")
    .option("--space <id>", "space id (default: root)")
    .option("--api-url <url>", "GitHub API base URL (default https://api.github.com; GitHub Enterprise: https://<host>/api/v3)")
    .option("--label <label...>", "labels")
    .option("--description <text>", "description")
    .action(async (o: { name: string; provider: string; id?: string; space?: string; apiUrl?: string; label?: string[]; description?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      const provider = o.provider.toUpperCase();
      if (provider !== "GITHUB" && provider !== "RAW_GIT") throw usageError(`--provider must be GITHUB or RAW_GIT, not ${JSON.stringify(o.provider)}`);
      let token: string | undefined;
      let webhookSecret: string | undefined;
      if (provider === "GITHUB") {
        token = rt.env.GANTRY_VCS_TOKEN || (await rt.promptSecret("GitHub token (statuses and comments): "));
        webhookSecret = rt.env.GANTRY_VCS_WEBHOOK_SECRET || (await rt.promptSecret("webhook secret: "));
      }
      const created = await s.api.call("createVcsIntegration", {
        body: { name: o.name, provider, id: o.id, spaceId: o.space, apiBaseUrl: o.apiUrl, labels: o.label, description: o.description, token: token || undefined, webhookSecret },
      });
      if (s.format === "json") return printJson(s.p, created);
      s.p.out(`created VCS integration ${created.id}${created.webhookPath ? `; point GitHub's webhook at <server URL>${created.webhookPath} (content type application/json, events: push, pull requests)` : ""}`);
    });
  integration.command("delete <id>").description("delete an integration no stack uses").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteVcsIntegration", { params: { id } });
    printDone(s.p, s.format, `VCS integration ${id} deleted`, { deleted: { kind: "vcs_integration", id } });
  });

  vcs
    .command("notify <repository> [ref] [before] [after]")
    .description("report a push of <repository> (as stacks name it); without ref/before/after, reads git's post-receive lines from stdin")
    .action(async (repository: string, ref: string | undefined, before: string | undefined, after: string | undefined, _o, cmd: Command) => {
      const s = session(rt, cmd);
      const pushes = ref ? [{ ref, before: before ?? "", after: after ?? "" }] : parsePostReceive(await rt.readStdin());
      const results: VcsEventResult[] = [];
      for (const push of pushes) results.push(await s.api.call("notifyVcs", { body: { repository, ...push } }));
      if (s.format === "json") return printJson(s.p, results);
      for (const r of results) {
        s.p.out(r.note);
        if (r.stacks.length) s.p.out(renderTable(r.stacks, [
          { header: "stack", value: (x) => x.stackId },
          { header: "decision", value: (x) => x.decision },
          { header: "run", value: (x) => orDash(x.runId) },
          { header: "reason", value: (x) => x.reason },
        ]));
      }
    });
}
