import { queryOptions } from "@tanstack/react-query";
import { call, queryClient } from "../../app/api.js";

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
