/**
 * The rules of Spacelift's NOTIFICATION policies, read from a policy's `data.spacelift` value.
 * Each rule is a set of objects; malformed entries are reported, never silently dropped.
 */
export interface InboxRule { title: string; body: string; severity: "INFO" | "WARNING" | "ERROR" }
export interface SlackRule { channel_id: string; message?: string }
export interface WebhookRule { endpoint_id: string; payload?: unknown; headers?: Record<string, string> }
/** Spacelift's pull request comment: `id` (the pull request's number) or `commit`, `body`, and an optional `deduplication_key` to edit one comment instead of adding more. */
export interface PullRequestRule { commit?: string; id?: number; body: string; deduplication_key?: string }

export interface NotificationRules {
  inbox: InboxRule[];
  slack: SlackRule[];
  webhook: WebhookRule[];
  pull_request: PullRequestRule[];
  /** Entries that could not be used, with why (recorded as internal errors and on the receipt). */
  problems: string[];
}

const asObjects = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x)) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function readNotificationRules(pkg: unknown): NotificationRules {
  const value = (pkg ?? {}) as Record<string, unknown>;
  const out: NotificationRules = { inbox: [], slack: [], webhook: [], pull_request: [], problems: [] };
  for (const r of asObjects(value.inbox)) {
    const severity = str(r.severity)?.toUpperCase() ?? "INFO";
    if (!["INFO", "WARNING", "ERROR"].includes(severity)) out.problems.push(`inbox: severity ${JSON.stringify(r.severity)} is not INFO, WARNING or ERROR`);
    else out.inbox.push({ title: str(r.title) ?? "", body: str(r.body) ?? "", severity: severity as InboxRule["severity"] });
  }
  for (const r of asObjects(value.slack)) {
    const channel = str(r.channel_id);
    if (!channel) out.problems.push("slack: an entry has no channel_id");
    else out.slack.push({ channel_id: channel, message: str(r.message) });
  }
  for (const r of asObjects(value.webhook)) {
    const id = str(r.endpoint_id);
    if (!id) out.problems.push("webhook: an entry has no endpoint_id");
    else out.webhook.push({ endpoint_id: id, payload: r.payload, headers: typeof r.headers === "object" && r.headers ? (r.headers as Record<string, string>) : undefined });
  }
  for (const r of asObjects(value.pull_request)) {
    const body = str(r.body);
    // `pr_id` is the spelling earlier Gantry versions documented; `id` is Spacelift's.
    const id = r.id ?? r.pr_id;
    if (!body) out.problems.push("pull_request: an entry has no body");
    else if (id !== undefined && !(Number.isInteger(id) && (id as number) > 0)) out.problems.push(`pull_request: id ${JSON.stringify(id)} is not a pull request number`);
    else out.pull_request.push({ commit: str(r.commit), id: id as number | undefined, body, deduplication_key: str(r.deduplication_key) });
  }
  return out;
}
