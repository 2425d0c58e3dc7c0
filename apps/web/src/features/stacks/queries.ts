import type { Stack, StackListItem } from "@gantry/contract";
import { infiniteQueryOptions, queryOptions, type InfiniteData } from "@tanstack/react-query";
import { call, queryClient } from "../../app/api.js";
import { stackInput, stackRunsInput, stacksListInput, type StacksSearch } from "./search.js";

export { STACKS_PAGE, stacksSearch, type StacksSearch } from "./search.js";

type StacksPage = { items: StackListItem[]; nextCursor: string | null };

/** The stacks list, a server-side page at a time, filtered and sorted as the address says. */
export const stacksPageQuery = (search: StacksSearch) => infiniteQueryOptions({
  queryKey: ["stacks", search],
  queryFn: ({ pageParam }) => call("listStacks", stacksListInput(search, pageParam)),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

/**
 * The stack as a loaded stacks list holds it (the list's rows are whole stacks), with when that
 * list was fetched: the stack page shows its header from it at once instead of waiting for
 * `GET /stacks/{id}`, which then refreshes it like any stale query.
 */
function listedStack(id: string): { stack: Stack; at: number } | undefined {
  for (const q of queryClient.getQueryCache().findAll({ queryKey: ["stacks"] })) {
    const found = (q.state.data as InfiniteData<StacksPage> | undefined)?.pages.flatMap((p) => p.items).find((s) => s.id === id);
    if (found) {
      const { lastRun: _lastRun, ...stack } = found;
      return { stack, at: q.state.dataUpdatedAt };
    }
  }
  return undefined;
}

/** A stack and its latest runs: the queries the stack page starts with, shared with the prefetch below. */
export const stackQuery = (id: string) => queryOptions({
  queryKey: ["stack", id],
  queryFn: () => call("getStack", stackInput(id)),
  refetchInterval: 5_000,
  initialData: () => listedStack(id)?.stack,
  initialDataUpdatedAt: () => listedStack(id)?.at,
});
export const stackRunsQuery = (id: string) => queryOptions({ queryKey: ["stack-runs", id], queryFn: () => call("listStackRuns", stackRunsInput(id)), refetchInterval: 3_000 });

/**
 * Starts loading a stack page's data when a link to it is hovered, focused or pressed (and when
 * the page's route loads), so the page often has it when the click lands. Never throws: a
 * missing stack is the page's own not-found answer.
 */
export function prefetchStack(id: string): void {
  void queryClient.prefetchQuery(stackQuery(id));
  void queryClient.prefetchQuery(stackRunsQuery(id));
}

/** Prefetches the stack page a plain link points to (`/stacks/<id>`); other addresses are left alone. */
export function prefetchStackAt(path: string): void {
  const id = /^\/stacks\/([^/]+)$/.exec(path)?.[1];
  if (id) prefetchStack(decodeURIComponent(id));
}
