import type { Run } from "@gantry/contract";
import { infiniteQueryOptions, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type Ref } from "react";
import { call } from "../../app/api.js";
import { runHref, usePlainLinks } from "../../app/plain-links.js";
import { ErrorBox, Loading, StateBadge, TimeAgo } from "../../app/ui.js";
import { RunDurations } from "./RunDurations.js";
import { stackRunsQuery } from "./queries.js";
import { STACK_RUNS } from "./search.js";

type RunsPage = { items: Run[]; nextCursor: string | null };

/**
 * Every page of a stack's runs, newest first, once a person asks for older ones. It starts from
 * the first page the stack page already holds, and refreshes all its pages in order (TanStack
 * recomputes each page's cursor from the page before), so runs pushed down by new ones move to
 * the next page instead of falling into a gap between the newest 50 and the older pages.
 */
const allStackRunsQuery = (stackId: string, first: RunsPage | undefined) => infiniteQueryOptions({
  queryKey: ["stack-runs-all", stackId],
  queryFn: ({ pageParam }) => call("listStackRuns", { params: { id: stackId }, query: { limit: STACK_RUNS, cursor: pageParam } }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.nextCursor ?? undefined,
  initialData: first ? { pages: [first], pageParams: [undefined] } : undefined,
  initialDataUpdatedAt: Date.now(),
  // The first page is as fresh as the stack page's own query: no refetch racing the first "Older runs".
  staleTime: 2_000,
  refetchInterval: 3_000,
});

/**
 * The stack's runs table: the newest 50 first (the query the stack page's first paint waits for,
 * see docs/web-ui.md "Speed"), then, on "Older runs", a page of 50 more each time. Rows are plain
 * links handed to the router by one handler (app/plain-links.ts).
 */
export function StackRuns({ stackId }: { stackId: string }) {
  const runs = useQuery(stackRunsQuery(stackId));
  const qc = useQueryClient();
  const links = usePlainLinks();
  const [older, setOlder] = useState(false);
  const showOlder = () => {
    // Pages cached by an earlier visit are dropped: the list starts again from the newest 50 on screen.
    qc.removeQueries({ queryKey: ["stack-runs-all", stackId] });
    setOlder(true);
  };
  return (
    <section aria-labelledby="runs-h">
      <h2 id="runs-h">Runs</h2>
      {runs.data ? <RunDurations runs={runs.data.items} /> : runs.error ? <ErrorBox error={runs.error} /> : <div className="runs-loading"><Loading what="runs" /></div>}
      {older ? <AllRuns stackId={stackId} first={runs.data} links={links} /> : (
        <>
          <RunsTable stackId={stackId} runs={runs.data?.items ?? []} links={links} />
          {runs.data?.items.length === 0 ? <p className="muted">No runs yet.</p> : null}
          {runs.data?.nextCursor ? <OlderRunsControl shown={runs.data.items.length} more pending={false} onMore={showOlder} /> : null}
        </>
      )}
    </section>
  );
}

/** The runs table with the older pages a person asked for; each press fetches one more page. */
function AllRuns({ stackId, first, links }: { stackId: string; first: RunsPage | undefined; links: ReturnType<typeof usePlainLinks> }) {
  const pages = useInfiniteQuery(allStackRunsQuery(stackId, first));
  const body = useRef<HTMLTableSectionElement>(null);
  const asked = useRef(false);
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  // Keyboard users go on from the first run that arrived (the button they pressed may be gone).
  const focusRow = useRef<number | null>(null);
  const more = () => {
    focusRow.current = body.current?.rows.length ?? 0;
    void pages.fetchNextPage();
  };
  useEffect(() => {
    const row = focusRow.current === null ? undefined : body.current?.rows[focusRow.current];
    if (row) {
      row.querySelector("a")?.focus();
      focusRow.current = null;
    }
  }, [items.length]);
  // This view opens when the person pressed "Older runs": it fetches the first older page once.
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    more();
  });
  return (
    <>
      <RunsTable stackId={stackId} runs={items} links={links} bodyRef={body} />
      {pages.error ? <ErrorBox error={pages.error} /> : null}
      <OlderRunsControl shown={items.length} more={pages.hasNextPage} pending={pages.isFetchingNextPage} onMore={more} />
    </>
  );
}

/** "Older runs" and how many runs the table shows, announced to screen readers as it changes. */
function OlderRunsControl({ shown, more, pending, onMore }: { shown: number; more: boolean; pending: boolean; onMore: () => void }) {
  return (
    <div className="toolbar">
      <p className="muted" role="status">{pending ? `Loading older runs… ${shown} shown.` : more ? `Showing the newest ${shown} runs.` : `Showing all ${shown} runs.`}</p>
      {more ? <button type="button" onClick={onMore} disabled={pending} aria-describedby="older-runs-hint">Older runs</button> : null}
      {more ? <span id="older-runs-hint" className="hint muted">loads the next {STACK_RUNS}</span> : null}
    </div>
  );
}

function RunsTable({ stackId, runs, links, bodyRef }: { stackId: string; runs: Run[]; links: ReturnType<typeof usePlainLinks>; bodyRef?: Ref<HTMLTableSectionElement> }) {
  return (
    <table>
      <thead><tr><th scope="col">Run</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Commit</th><th scope="col">Changes</th><th scope="col">Triggered by</th><th scope="col">Created</th></tr></thead>
      <tbody ref={bodyRef} {...links}>
        {runs.map((r) => (
          <tr key={r.id}>
            <td><a href={runHref(stackId, r.id)}>{r.id.slice(-8)}</a></td>
            <td>{r.type}</td>
            <td><StateBadge state={r.state} /></td>
            <td>{r.commit.sha ? <code>{r.commit.sha.slice(0, 8)}</code> : r.commit.branch} {r.commit.message ? <span className="muted">{r.commit.message.split("\n")[0]}</span> : null}</td>
            <td>{r.delta ? `+${r.delta.added} ~${r.delta.changed} -${r.delta.deleted}` : "—"}</td>
            <td>{r.triggeredBy}</td>
            <td><TimeAgo at={r.createdAt} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
