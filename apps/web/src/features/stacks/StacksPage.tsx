import type { Stack } from "@gantry/contract";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { spacesQuery } from "../../app/api.js";
import { ErrorBox, Labels, StateBadge, TimeAgo } from "../../app/ui.js";
import { NewLink } from "../../app/NewLink.js";
import { runHref, stackHref, usePlainLinks } from "../../app/plain-links.js";
import { prefetchStackAt, stacksPageQuery, type StacksSearch } from "./queries.js";
import { SortHeader } from "./SortHeader.js";

export type { StacksSearch } from "./queries.js";

/** Every stack state, for the filter (typed against the contract: a new state fails to compile until listed). */
const STACK_STATES = Object.keys({
  NONE: 1, QUEUED: 1, PREPARING: 1, INITIALIZING: 1, PLANNING: 1, UNCONFIRMED: 1, CONFIRMED: 1, APPLYING: 1, PERFORMING: 1,
  DESTROYING: 1, PENDING_REVIEW: 1, FINISHED: 1, FAILED: 1, DISCARDED: 1, STOPPED: 1, CANCELED: 1,
} satisfies Record<Stack["state"], 1>);

/**
 * Every stack the person can read, filtered on the server (space, label, state, text) and
 * fetched a page at a time as the list scrolls, so 10,000 stacks stay smooth. Its links are
 * plain anchors followed by the router (plain-links.ts); hovering, focusing or pressing one
 * prefetches that stack's page.
 */
export function StacksPage() {
  const search = useSearch({ from: "/stacks" });
  const navigate = useNavigate({ from: "/stacks" });
  const spaces = useQuery(spacesQuery());
  const stacks = useInfiniteQuery(stacksPageQuery(search));
  const links = usePlainLinks(prefetchStackAt);
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && stacks.hasNextPage && !stacks.isFetchingNextPage) void stacks.fetchNextPage();
    }, { rootMargin: "600px" });
    io.observe(el);
    return () => io.disconnect();
  }, [stacks]);

  const set = (patch: Partial<StacksSearch>) => void navigate({ search: (s: StacksSearch) => ({ ...s, ...patch }), replace: true });
  const items = stacks.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <h1>Stacks</h1>
      <NewLink to="/new/stack" label="New stack" needed="write" />
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="f-search">Search</label>
          <input id="f-search" type="search" defaultValue={search.search ?? ""} placeholder="id or name" onChange={(e) => set({ search: e.target.value || undefined })} />
        </div>
        <div>
          <label htmlFor="f-space">Space</label>
          <select id="f-space" value={search.spaceId ?? ""} onChange={(e) => set({ spaceId: e.target.value || undefined })}>
            <option value="">All spaces</option>
            {spaces.data?.items.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-label">Label</label>
          <input id="f-label" defaultValue={search.label ?? ""} placeholder="e.g. env:prod" onChange={(e) => set({ label: e.target.value || undefined })} />
        </div>
        <div>
          <label htmlFor="f-drift">Drift</label>
          <select id="f-drift" value={search.drifted ?? ""} onChange={(e) => set({ drifted: (e.target.value || undefined) as StacksSearch["drifted"] })}>
            <option value="">Any</option>
            <option value="true">Drifted</option>
            <option value="false">Not drifted</option>
          </select>
        </div>
        <div>
          <label htmlFor="f-state">State</label>
          <select id="f-state" value={search.state ?? ""} onChange={(e) => set({ state: e.target.value || undefined })}>
            <option value="">Any state</option>
            {STACK_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </form>
      {stacks.error ? <ErrorBox error={stacks.error} /> : null}
      <table aria-busy={stacks.isFetching}>
        <thead>
          <tr>
            <SortHeader label="Stack" by="name" sort={search.sort} onSort={(sort) => set({ sort })} />
            <SortHeader label="State" by="state" sort={search.sort} onSort={(sort) => set({ sort })} />
            <SortHeader label="Last run" by="lastRun" sort={search.sort} onSort={(sort) => set({ sort })} />
            <SortHeader label="Space" by="space" sort={search.sort} onSort={(sort) => set({ sort })} />
            <th scope="col">Branch</th><th scope="col">Labels</th><th scope="col">Drift</th>
            <SortHeader label="Updated" by="updated" sort={search.sort} onSort={(sort) => set({ sort })} />
          </tr>
        </thead>
        <tbody {...links}>
          {items.map((s) => (
            <tr key={s.id}>
              <td><a href={stackHref(s.id)}>{s.name}</a>{s.name !== s.id ? <div className="muted">{s.id}</div> : null}</td>
              <td><StateBadge state={s.state} /></td>
              <td>{s.lastRun ? <><a href={runHref(s.id, s.lastRun.id)} aria-label={`last run of ${s.id}: ${s.lastRun.state}`}><StateBadge state={s.lastRun.state} /></a> <TimeAgo at={s.lastRun.createdAt} />{s.lastRun.commitSha ? <> <code>{s.lastRun.commitSha.slice(0, 7)}</code></> : null}</> : <span className="muted">none</span>}</td>
              <td>{s.spaceId}</td>
              <td>{s.branch}</td>
              <td><Labels labels={s.labels} /></td>
              <td>{s.drift ? <span className="badge state-wait" title={s.drift.resources.join(", ")}>drifted</span> : <span className="muted">—</span>}</td>
              <td><TimeAgo at={s.updatedAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div ref={sentinel} />
      <p className="muted" role="status">
        {stacks.isLoading ? "Loading stacks…" : `${items.length} stack${items.length === 1 ? "" : "s"}${stacks.hasNextPage ? " shown, more below" : ""}`}
      </p>
      {stacks.hasNextPage ? <button type="button" onClick={() => void stacks.fetchNextPage()} disabled={stacks.isFetchingNextPage}>Load more</button> : null}
    </>
  );
}
