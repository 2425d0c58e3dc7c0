import type { Run } from "@gantry/contract";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { runHref, stackHref, usePlainLinks } from "../../app/plain-links.js";
import { ErrorBox, Loading, StateBadge, TimeAgo } from "../../app/ui.js";
import { prefetchStackAt } from "../stacks/queries.js";
import { overviewQuery } from "./queries.js";

/**
 * The bird's-eye view: stacks by state, what runs, what waits for a person, what failed, worker
 * pools. Refreshed live. The run lists (up to 150 rows) use plain links (plain-links.ts).
 */
export function OverviewPage() {
  const overview = useQuery(overviewQuery());
  const links = usePlainLinks(prefetchStackAt);
  if (overview.error) return <ErrorBox error={overview.error} />;
  if (!overview.data) return <Loading what="the overview" />;
  const o = overview.data;
  const states = Object.entries(o.stacks.byState).sort((a, b) => b[1] - a[1]);
  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="stacks-h">
        <h2 id="stacks-h">Stacks ({o.stacks.total})</h2>
        <ul className="cards" aria-label="stacks by state">
          {states.map(([state, n]) => (
            <li key={state} className="card">
              <Link to="/stacks" search={{ state }} aria-label={`${n} stacks ${state}`}>
                <span className="n">{n}</span>
              </Link>
              <StateBadge state={state} />
            </li>
          ))}
          {states.length === 0 ? <li className="muted">No stacks yet. Create one with <code>gantry stack create</code>.</li> : null}
        </ul>
      </section>
      <div className="grid2" {...links}>
        <RunList id="waiting" title="Waiting for a person" runs={o.runsWaitingForPeople} empty="Nothing waits for a person." />
        <RunList id="progress" title="Runs in progress" runs={o.runsInProgress} empty="No run is in progress." />
        <RunList id="failures" title="Recent failures" runs={o.recentFailures} empty="No failures in the last 7 days." />
        <section aria-labelledby="pools-h">
          <h2 id="pools-h">Worker pools</h2>
          <table>
            <thead><tr><th scope="col">Pool</th><th scope="col">Busy</th><th scope="col">Idle</th><th scope="col">Queued</th><th scope="col">Oldest queued</th></tr></thead>
            <tbody>
              {o.workerPools.map((p) => (
                <tr key={p.id}><td>{p.name}</td><td>{p.busy}</td><td>{p.idle}</td><td>{p.queued}</td><td><TimeAgo at={p.oldestQueuedAt} /></td></tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}

function RunList({ id, title, runs, empty }: { id: string; title: string; runs: Run[]; empty: string }) {
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title} ({runs.length})</h2>
      {runs.length === 0 ? <p className="muted">{empty}</p> : (
        <table>
          <thead><tr><th scope="col">Stack</th><th scope="col">Run</th><th scope="col">State</th><th scope="col">Updated</th></tr></thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td><a href={stackHref(r.stackId)}>{r.stackId}</a></td>
                <td><a href={runHref(r.stackId, r.id)}>{r.type.toLowerCase()} {r.id.slice(-6)}</a></td>
                <td><StateBadge state={r.state} /></td>
                <td><TimeAgo at={r.updatedAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
