import type { Space } from "@gantry/contract";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Labels, Loading } from "../../app/ui.js";
import { EditSpaceSection } from "./EditSpaceForm.js";
import { DeleteSpaceButton, NewSpaceForm } from "./SpaceAdmin.js";
import { SpaceTreePicture } from "./SpaceTreePicture.js";

/** The space tree, with the person's own role bindings beside the spaces they are bound on; admins create and delete spaces. */
export function SpacesPage() {
  const spaces = useQuery({ queryKey: ["spaces"], queryFn: () => call("listSpaces", { query: { limit: 1000 } }), staleTime: 60_000 });
  const me = useQuery({ queryKey: ["me"], queryFn: () => call("me", {}), staleTime: 60_000 });
  if (spaces.error) return <ErrorBox error={spaces.error} />;
  if (!spaces.data) return <Loading what="spaces" />;
  const children = new Map<string | null, Space[]>();
  const ids = new Set(spaces.data.items.map((s) => s.id));
  for (const s of spaces.data.items) {
    // A space whose parent the person cannot read is shown at the top level.
    const parent = s.parentSpaceId && ids.has(s.parentSpaceId) ? s.parentSpaceId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const roles = new Map((me.data?.roles ?? []).map((r) => [r.spaceId, r.role]));
  const render = (parent: string | null) => (
    <ul>
      {(children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name)).map((s) => (
        <li key={s.id}>
          <Link to="/stacks" search={{ spaceId: s.id }}>{s.name}</Link> <span className="muted">({s.id})</span>
          {roles.get(s.id) ? <span className="badge state-busy" title="your role, held in this space's whole subtree"> {roles.get(s.id)}</span> : null}
          {s.description ? <span className="muted"> · {s.description}</span> : null}
          {s.inheritEntities ? <span className="muted"> · inherits from its parent</span> : null}
          {s.labels.length ? <Labels labels={s.labels} /> : null}
          <DeleteSpaceButton id={s.id} name={s.name} />
          {children.has(s.id) ? render(s.id) : null}
        </li>
      ))}
    </ul>
  );
  return (
    <>
      <h1>Spaces</h1>
      <p className="muted">Roles granted on a space hold in its whole subtree. Select a space to see its stacks.</p>
      <SpaceTreePicture spaces={spaces.data.items} />
      <nav className="tree" aria-label="space tree">{render(null)}</nav>
      <NewSpaceForm />
      <EditSpaceSection />
    </>
  );
}
