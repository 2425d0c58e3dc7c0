import { DeleteSlackButton, NewSlackForm } from "./SlackAdmin.js";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { NewLink } from "../../app/NewLink.js";
import { ErrorBox, Labels, Loading, TimeAgo } from "../../app/ui.js";

/** The person's inbox (NOTIFICATION policies' `inbox` rule, failed runs), webhooks with their deliveries, Slack. */
export function NotificationsPage() {
  const qc = useQueryClient();
  const inbox = useQuery({ queryKey: ["inbox"], queryFn: () => call("listNotifications", { query: { limit: 100 } }), refetchInterval: 10_000 });
  const webhooks = useQuery({ queryKey: ["webhooks"], queryFn: () => call("listWebhooks", { query: { limit: 1000 } }) });
  const slack = useQuery({ queryKey: ["slack"], queryFn: () => call("listSlackIntegrations", {}) });
  const ack = useMutation({ mutationFn: (id: string) => call("ackNotification", { params: { id } }), onSuccess: () => void qc.invalidateQueries({ queryKey: ["inbox"] }) });
  return (
    <>
      <h1>Notifications</h1>
      <section aria-labelledby="inbox-h">
        <h2 id="inbox-h">Inbox</h2>
        {inbox.error ? <ErrorBox error={inbox.error} /> : !inbox.data ? <Loading what="the inbox" /> : inbox.data.items.length === 0 ? <p className="muted">Nothing in the inbox.</p> : (
          <table>
            <thead><tr><th scope="col">Severity</th><th scope="col">Message</th><th scope="col">Run</th><th scope="col">When</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {inbox.data.items.map((n) => (
                <tr key={n.id} className={n.acked ? "muted" : ""}>
                  <td><span className={`badge state-${n.severity === "ERROR" ? "bad" : n.severity === "WARNING" ? "wait" : "idle"}`}>{n.severity}</span></td>
                  <td><strong>{n.title}</strong><div>{n.body}</div></td>
                  <td>{n.runId && n.stackId ? <Link to="/stacks/$stackId/runs/$runId" params={{ stackId: n.stackId, runId: n.runId }}>{n.stackId} {n.runId.slice(-6)}</Link> : "—"}</td>
                  <td><TimeAgo at={n.createdAt} /></td>
                  <td>{n.acked ? "read" : <button type="button" className="link" onClick={() => ack.mutate(n.id)}>Mark read</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="webhooks-h">
        <h2 id="webhooks-h">Webhooks</h2>
        <NewLink to="/new/webhook" label="New webhook" needed="admin" />
        {webhooks.error ? <ErrorBox error={webhooks.error} /> : !webhooks.data ? <Loading what="webhooks" /> : webhooks.data.items.length === 0 ? <p className="muted">No webhooks.</p> : (
          webhooks.data.items.map((w) => <Webhook key={w.id} id={w.id} name={w.name} endpoint={w.endpoint} enabled={w.enabled} labels={w.labels} spaceId={w.spaceId} stackId={w.stackId} />)
        )}
      </section>
      <section aria-labelledby="slack-h">
        <h2 id="slack-h">Slack</h2>
        {slack.data?.items.length ? (
          <ul>{slack.data.items.map((s) => <li key={s.id}>{s.name} <span className="muted">({s.name !== s.id ? `id ${s.id}, ` : ""}space {s.spaceId}; {s.botTokenChecksum ? `bot token ${s.botTokenChecksum}` : s.incomingWebhook ? "incoming webhook" : "no credentials"}{s.botTokenChecksum && s.apiBaseUrl !== "https://slack.com/api" ? `, API ${s.apiBaseUrl}` : ""})</span><DeleteSlackButton id={s.id} name={s.name} spaceId={s.spaceId} /></li>)}</ul>
        ) : slack.error ? <ErrorBox error={slack.error} /> : <p className="muted">No Slack integrations.</p>}
        <NewSlackForm />
      </section>
    </>
  );
}

function Webhook(w: { id: string; name: string; endpoint: string; enabled: boolean; labels: string[]; spaceId: string; stackId: string | null }) {
  const qc = useQueryClient();
  const deliveries = useQuery({ queryKey: ["deliveries", w.id], queryFn: () => call("listWebhookDeliveries", { params: { id: w.id }, query: { limit: 10 } }) });
  const redeliver = useMutation({ mutationFn: (deliveryId: string) => call("redeliverWebhook", { params: { id: w.id, deliveryId } }), onSuccess: () => void qc.invalidateQueries({ queryKey: ["deliveries", w.id] }) });
  return (
    <details className="plan-resource">
      <summary><Link to="/webhooks/$webhookId" params={{ webhookId: w.id }}>{w.name}</Link> <code>{w.endpoint}</code> {w.enabled ? null : <span className="badge state-idle">disabled</span>} <span className="muted">{w.stackId ? `stack ${w.stackId}` : `space ${w.spaceId}`}</span> <Labels labels={w.labels} /></summary>
      {deliveries.data?.items.length ? (
        <table>
          <thead><tr><th scope="col">Delivery</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Created</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {deliveries.data.items.map((d) => (
              <tr key={d.id}><td><code>{d.id.slice(-8)}</code></td><td>{d.status}</td><td>{d.attempts.length}</td><td><TimeAgo at={d.createdAt} /></td>
                <td><button type="button" className="link" onClick={() => redeliver.mutate(d.id)}>Redeliver</button></td></tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">No deliveries yet.</p>}
      {redeliver.error ? <ErrorBox error={redeliver.error} /> : null}
    </details>
  );
}
