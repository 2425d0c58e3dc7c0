import type { StackSort } from "@gantry/contract";

type Key = Exclude<StackSort, `-${string}`>;

/**
 * A column header that sorts the list by its key (on the server): a button, so it works from
 * the keyboard, and `aria-sort` on the header so screen readers announce the order.
 */
export function SortHeader({ label, by, sort, onSort }: { label: string; by: Key; sort: StackSort | undefined; onSort: (sort: StackSort | undefined) => void }) {
  const state = sort === by ? "ascending" : sort === `-${by}` ? "descending" : "none";
  // Times read best newest first: the first click on them sorts descending.
  const first: StackSort = by === "lastRun" || by === "updated" ? `-${by}` : by;
  const next: StackSort | undefined = state === "none" ? first : sort === first ? (first.startsWith("-") ? by : `-${by}`) : undefined;
  return (
    <th scope="col" aria-sort={state}>
      <button type="button" className="sort" onClick={() => onSort(next)} title={next ? `sort by ${label.toLowerCase()}${next.startsWith("-") ? ", descending" : ""}` : "back to the default order"}>
        {label} <span aria-hidden="true">{state === "ascending" ? "▲" : state === "descending" ? "▼" : "↕"}</span>
      </button>
    </th>
  );
}
