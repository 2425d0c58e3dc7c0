import { readFileSync } from "node:fs";
import type { Delivery, InboxNotification, Webhook } from "@gantry/contract";
import type { Command } from "commander";
import { usageError } from "../errors.js";
import { orDash, printDone, printJson, printList, printOne, renderTable, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const columns: Column<Webhook>[] = [
  { header: "id", value: (w) => w.id },
  { header: "name", value: (w) => w.name },
  { header: "space", value: (w) => w.spaceId },
  { header: "stack", value: (w) => orDash(w.stackId) },
  { header: "endpoint", value: (w) => w.endpoint },
  { header: "enabled", value: (w) => String(w.enabled) },
  { header: "labels", value: (w) => w.labels.join(",") || "-" },
  { header: "secret", value: (w) => (w.secretChecksum ? `set (${w.secretChecksum})` : "-") },
];

const deliveryColumns: Column<Delivery>[] = [
  { header: "id", value: (d) => d.id },
  { header: "status", value: (d) => d.status },
  { header: "attempts", value: (d) => String(d.attempts.length) },
  { header: "last code", value: (d) => orDash(d.attempts.at(-1)?.responseCode?.toString() ?? null) },
  { header: "last error", value: (d) => orDash(d.attempts.at(-1)?.error ?? null) },
  { header: "next attempt", value: (d) => orDash(d.nextAttemptAt) },
  { header: "created", value: (d) => d.createdAt },
];

const inboxColumns: Column<InboxNotification>[] = [
  { header: "id", value: (n) => n.id },
  { header: "severity", value: (n) => n.severity },
  { header: "title", value: (n) => n.title },
  { header: "stack", value: (n) => orDash(n.stackId) },
  { header: "run", value: (n) => orDash(n.runId) },
  { header: "acked", value: (n) => String(n.acked) },
  { header: "created", value: (n) => n.createdAt },
];

/**
 * The secret file's bytes as the signing key: raw bytes, with one trailing newline removed (what
 * `echo secret > file` adds), sent base64 so any byte survives the JSON body.
 */
export function readSecretFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw usageError(`cannot read the secret file ${path}: ${(err as Error).message}`);
  }
  if (bytes.at(-1) === 0x0a) bytes = bytes.subarray(0, bytes.length - (bytes.at(-2) === 0x0d ? 2 : 1));
  return bytes.toString("base64");
}

/** `gantry webhook ...`: webhook endpoints and their deliveries. */
export function webhookCommand(rt: Runtime, program: Command): void {
  const webhook = program.command("webhook").description("webhook endpoints that receive run events, and their deliveries");

  webhook.command("list").description("webhook endpoints you can read").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listWebhooks", { query: {} })).items, columns, "no webhooks");
  });
  webhook.command("show <id>").description("one webhook endpoint (the secret is never shown)").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getWebhook", { params: { id } }), columns);
  });
  webhook
    .command("create")
    .description("create an endpoint: for one stack (--stack), or for a space whose stacks it reaches by autoattach: labels")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--url <url>", "http(s) URL that receives the POSTs")
    .option("--secret-file <file>", "file holding the signing secret (at least 16 bytes; one trailing newline is dropped)")
    .option("--id <id>", "slug id (default: from the name)")
    .option("--space <id>", "space id (default: the stack's space, or root)")
    .option("--stack <id>", "send every run state change of this stack")
    .option("--label <label...>", "labels (autoattach:<label> or autoattach:* attach it to stacks)")
    .option("--disabled", "create it disabled")
    .action(async (o: { name: string; url: string; secretFile?: string; id?: string; space?: string; stack?: string; label?: string[]; disabled?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const secretBase64 = o.secretFile ? readSecretFile(o.secretFile) : undefined;
      const created = await s.api.call("createWebhook", { body: { name: o.name, endpoint: o.url, id: o.id, spaceId: o.space, stackId: o.stack, labels: o.label, enabled: !o.disabled, secretBase64 } });
      if (s.format === "json") return printJson(s.p, created);
      s.p.out(`created webhook ${created.id}${created.secretChecksum ? ` (secret ${created.secretChecksum})` : " (unsigned: no secret)"}`);
    });
  webhook.command("delete <id>").description("delete an endpoint and its deliveries").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteWebhook", { params: { id } });
    printDone(s.p, s.format, `webhook ${id} deleted`, { deleted: { kind: "webhook", id } });
  });
  webhook.command("deliveries <id>").description("deliveries to the endpoint, newest first, with every attempt (-o json)").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const page = await s.api.call("listWebhookDeliveries", { params: { id }, query: {} });
    if (s.format === "json") return printJson(s.p, page.items);
    if (page.items.length === 0) return s.p.out("no deliveries");
    s.p.out(renderTable(page.items, deliveryColumns));
  });
  webhook.command("redeliver <id> <delivery-id>").description("send a delivery's payload again, as a new delivery").action(async (id: string, deliveryId: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const d = await s.api.call("redeliverWebhook", { params: { id, deliveryId } });
    if (s.format === "json") return printJson(s.p, d);
    s.p.out(`queued delivery ${d.id} (a copy of ${deliveryId})`);
  });
}

/** `gantry notifications ...`: the inbox. */
export function notificationsCommand(rt: Runtime, program: Command): void {
  const n = program.command("notifications").description("the inbox: failures, internal errors and what NOTIFICATION policies send there");
  n.command("list").description("inbox messages of the spaces you can read, newest first").option("--unacked", "only those you have not acknowledged").action(async (o: { unacked?: boolean }, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listNotifications", { query: o.unacked ? { unacked: "true" } : {} })).items, inboxColumns, "no notifications");
  });
  n.command("ack <id...>").description("acknowledge messages (for you)").action(async (ids: string[], _o, cmd: Command) => {
    const s = session(rt, cmd);
    const acked = [];
    for (const id of ids) acked.push(await s.api.call("ackNotification", { params: { id } }));
    if (s.format === "json") return printJson(s.p, acked);
    s.p.out(`acknowledged ${acked.length} notification${acked.length === 1 ? "" : "s"}`);
  });
}
