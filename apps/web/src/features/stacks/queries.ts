import type { Stack, StackSort } from "@gantry/contract";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { call, queryClient } from "../../app/api.js";

/** The stacks list's address bar: its filters and sort order. */
export interface StacksSearch {
  search?: string;
  spaceId?: string;
  label?: string;
  state?: string;
  drifted?: "true" | "false";
  sort?: StackSort;
}

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const SORTS = new Set<string>(["name", "-name", "state", "-state", "space", "-space", "lastRun", "-lastRun", "updated", "-updated"] satisfies StackSort[]);

/** Reads the stacks list's search parameters; anything unknown is dropped rather than sent to the server. */
export function stacksSearch(s: Record<string, unknown>): StacksSearch {
  const sort = text(s.sort);
  return {
    search: text(s.search), spaceId: text(s.spaceId), label: text(s.label), state: text(s.state),
    drifted: s.drifted === "true" || s.drifted === "false" ? s.drifted : undefined,
    sort: sort && SORTS.has(sort) ? (sort as StackSort) : undefined,
  };
}

/** How many stacks one page of the list asks for. */
export const STACKS_PAGE = 100;

/** The stacks list, a server-side page at a time, filtered and sorted as the address says. */
export const stacksPageQuery = (search: StacksSearch) => infiniteQueryOptions({
  queryKey: ["stacks", search],
  queryFn: ({ pageParam }) => call("listStacks", { query: { limit: STACKS_PAGE, cursor: pageParam, ...search, state: search.state as Stack["state"] | undefined } }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

/** A stack and its latest runs: the queries the stack page starts with, shared with the prefetch below. */
export const stackQuery = (id: string) => queryOptions({ queryKey: ["stack", id], queryFn: () => call("getStack", { params: { id } }), refetchInterval: 5_000 });
export const stackRunsQuery = (id: string) => queryOptions({ queryKey: ["stack-runs", id], queryFn: () => call("listStackRuns", { params: { id }, query: { limit: 50 } }), refetchInterval: 3_000 });

/**
 * Starts loading a stack page's data when a link to it is hovered or focused (the router's
 * "intent" preload), so the page often has it when the click lands. Never throws: a missing
 * stack is the page's own not-found answer.
 */
export function prefetchStack(id: string): void {
  void queryClient.prefetchQuery(stackQuery(id));
  void queryClient.prefetchQuery(stackRunsQuery(id));
}
