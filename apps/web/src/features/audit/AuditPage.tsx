import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { ErrorBox, TimeAgo } from "../../app/ui.js";

/** The audit trail, newest first, filtered by action, target or actor on the server. */
export function AuditPage() {
  const [filters, setFilters] = useState<{ action?: string; targetId?: string; actorId?: string }>({});
  const events = useInfiniteQuery({
    queryKey: ["audit", filters],
    queryFn: ({ pageParam }) => call("listAuditEvents", { query: { limit: 100, cursor: pageParam, ...filters } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const field = (key: keyof typeof filters, label: string, placeholder: string) => (
    <div>
      <label htmlFor={`a-${key}`}>{label}</label>
      <input id={`a-${key}`} placeholder={placeholder} onChange={(e) => setFilters((f) => ({ ...f, [key]: e.target.value || undefined }))} />
    </div>
  );
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1>Audit trail</h1>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        {field("action", "Action", "e.g. stack.create")}
        {field("targetId", "Target", "an id")}
        {field("actorId", "Actor", "a user or run id")}
      </form>
      {events.error ? <ErrorBox error={events.error} /> : null}
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Space</th></tr></thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}><td><TimeAgo at={e.at} /></td><td>{e.actorType} {e.actorId}</td><td><code>{e.action}</code></td><td>{e.targetType} {e.targetId}</td><td>{e.spaceId ?? "—"}</td></tr>
          ))}
        </tbody>
      </table>
      {events.hasNextPage ? <button type="button" onClick={() => void events.fetchNextPage()}>Load more</button> : null}
    </>
  );
}
