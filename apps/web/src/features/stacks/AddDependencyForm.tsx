import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { call } from "../../app/api.js";
import { EntityForm } from "../../app/entity-form.js";
import { SelectField } from "../../app/forms.js";
import { dependenciesChanged } from "./dependency-queries.js";

/** How many matching stacks the picker offers at once: typing more narrows the server's search. */
const PICKER_MATCHES = 50;
/** Typing pause before the picker asks the server again. */
const SEARCH_PAUSE_MS = 250;

/** `value`, once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * "This stack runs after …": a stack picker that searches every stack the person can read on
 * the server as they type (by id or name, as the stacks list's search does, so it stays quick
 * among 10,000), then the server's verdict: a cycle is refused naming it, at the picker.
 */
export function AddDependencyForm({ stackId, exclude }: { stackId: string; exclude: string[] }) {
  const qc = useQueryClient();
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState("");
  // Nothing is asked of the server until the person turns to the picker: most visits to a stack
  // page add no dependency, and the page's other sections come first.
  const [engaged, setEngaged] = useState(false);
  const engage = () => setEngaged(true);
  const search = useSettled(text.trim(), SEARCH_PAUSE_MS);
  const matches = useQuery({
    queryKey: ["stack-picker", search],
    queryFn: () => call("listStacks", { query: { limit: PICKER_MATCHES, ...(search ? { search } : {}) } }),
    placeholderData: keepPreviousData,
    enabled: engaged,
  });
  const add = useMutation({
    mutationFn: () => call("createStackDependency", { params: { id: stackId }, body: { dependsOnStackId: chosen } }),
    onSuccess: () => { dependenciesChanged(qc, stackId, chosen); setChosen(""); setText(""); },
  });
  const offered = (matches.data?.items ?? []).filter((s) => !exclude.includes(s.id));
  // The chosen stack stays offered while the person types on, so the choice is not silently lost.
  const options = chosen && !offered.some((s) => s.id === chosen) ? [{ id: chosen, name: chosen, spaceId: "" }, ...offered] : offered;
  return (
    <EntityForm label="add dependency" fields={["dependsOnStackId"]} error={add.error} pending={add.isPending} submitLabel="Add dependency" onSubmit={() => add.mutate()}>
      <h4>Add a dependency</h4>
      <div className="field">
        <label htmlFor="dependency-search">Find the upstream stack</label>
        <input id="dependency-search" type="search" value={text} placeholder="id or name" aria-describedby="dependency-search-hint"
          onFocus={engage} onChange={(e) => { engage(); setText(e.target.value); }}
          // Enter narrows the list; it does not send the form with whatever is chosen.
          onKeyDown={(e) => { if (e.key === "Enter") e.preventDefault(); }} />
        <p id="dependency-search-hint" className="hint muted" role="status">
          {!engaged ? "Type part of a stack's id or name; the list below offers the stacks that match." : !matches.data ? "Searching…" : `${offered.length} stack${offered.length === 1 ? "" : "s"} to choose from${matches.data.nextCursor ? `; more match: type more of the id or name to narrow` : ""}.`}
        </p>
      </div>
      <div onFocus={engage}>
        <SelectField name="dependsOnStackId" idPrefix="dependency" label="Upstream stack (this stack runs after it)" value={chosen} onChange={setChosen} error={add.error}
          options={[{ value: "", label: "choose a stack" }, ...options.map((s) => ({ value: s.id, label: `${s.name === s.id ? s.id : `${s.name} (${s.id})`}${s.spaceId ? `, space ${s.spaceId}` : ""}` }))]} />
      </div>
    </EntityForm>
  );
}
