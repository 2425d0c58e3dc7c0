import type { EndpointInput, Endpoints, Stack, StackSort } from "@gantry/contract";

/*
 * The stacks list's address and the inputs of the stack calls, without React or TanStack: the
 * queries (queries.ts) and the entry script that starts a first page's calls early
 * (app/first-page-calls.ts) build their inputs here, so an early answer matches its query.
 */

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
/** How many of a stack's runs its page shows. */
export const STACK_RUNS = 50;

export const stacksListInput = (search: StacksSearch, cursor: string | undefined): EndpointInput<Endpoints["listStacks"]> =>
  ({ query: { limit: STACKS_PAGE, cursor, ...search, state: search.state as Stack["state"] | undefined } });
export const stackInput = (id: string): EndpointInput<Endpoints["getStack"]> => ({ params: { id } });
export const stackRunsInput = (id: string): EndpointInput<Endpoints["listStackRuns"]> => ({ params: { id }, query: { limit: STACK_RUNS } });
