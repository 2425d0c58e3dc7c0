import { overviewQuery } from "../features/overview/queries.js";
import { prefetchStack, stacksPageQuery, stacksSearch } from "../features/stacks/queries.js";
import { meQuery, queryClient, spacesQuery } from "./api.js";

/**
 * Starts the requests of the page being opened before React, the router and the pages are
 * evaluated (main.tsx imports this module first), so the API answers while the app starts
 * instead of after it: the page's queries then find their data in flight or already in the
 * cache. Only the pages people open first are listed; any other page loads as usual.
 */
function startFirstPageData(location: Location): void {
  const path = location.pathname;
  if (path === "/login") return;
  void queryClient.prefetchQuery(meQuery());
  if (path === "/") {
    void queryClient.prefetchQuery(overviewQuery());
  } else if (path === "/stacks") {
    void queryClient.prefetchInfiniteQuery(stacksPageQuery(stacksSearch(searchParams(location.search))));
    void queryClient.prefetchQuery(spacesQuery());
  } else {
    const stack = /^\/stacks\/([^/]+)$/.exec(path)?.[1];
    if (stack) {
      prefetchStack(decodeURIComponent(stack));
      void queryClient.prefetchQuery(spacesQuery());
    }
  }
}

/** The address's search parameters as the router reads them (JSON values where they parse, text otherwise). */
function searchParams(search: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

startFirstPageData(window.location);
