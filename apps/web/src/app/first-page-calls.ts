import { stackInput, stackRunsInput, stacksListInput, stacksSearch } from "../features/stacks/search.js";
import type { Call } from "./http.js";
import { meInput, overviewInput, spacesInput } from "./inputs.js";

/**
 * The API calls the page at an address makes first, in the order they matter (the stack and
 * its runs before the space list). The entry script starts them while the app's script is
 * still downloading and compiling; only the pages people open first are listed, any other page
 * makes its calls as usual.
 */
export function firstPageCalls(location: Pick<Location, "pathname" | "search">): Call[] {
  const path = location.pathname;
  if (path === "/login") return [];
  const me: Call = { name: "me", input: meInput };
  const spaces: Call = { name: "listSpaces", input: spacesInput };
  if (path === "/") return [me, { name: "getOverview", input: overviewInput }];
  if (path === "/stacks") return [me, { name: "listStacks", input: stacksListInput(stacksSearch(searchParams(location.search)), undefined) }, spaces];
  const stack = /^\/stacks\/([^/]+)$/.exec(path)?.[1];
  if (stack) {
    const id = decodeURIComponent(stack);
    return [me, { name: "getStack", input: stackInput(id) }, { name: "listStackRuns", input: stackRunsInput(id) }, spaces];
  }
  return [me];
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
