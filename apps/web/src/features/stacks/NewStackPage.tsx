import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { useSpacesAllowing } from "../../app/roles.js";
import { Loading } from "../../app/ui.js";
import { bodyOf, settingsOf, StackForm, type StackSettings } from "./StackForm.js";

/** Step 1 of the seed blog ("create a new stack"), in the UI. */
export function NewStackPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const spaces = useSpacesAllowing("write");
  const create = useMutation({
    mutationFn: (v: StackSettings) => call("createStack", { body: { ...bodyOf(v), ...(v.id.trim() ? { id: v.id.trim() } : {}) } }),
    onSuccess: (s) => { void qc.invalidateQueries({ queryKey: ["stacks"] }); void navigate({ to: "/stacks/$stackId", params: { stackId: s.id } }); },
  });
  if (!spaces) return <Loading what="your spaces" />;
  return (
    <>
      <p className="muted"><Link to="/stacks">Stacks</Link></p>
      <h1>New stack</h1>
      {spaces.length === 0 ? <p role="alert" className="error">Creating a stack needs the write role in a space; you have none. Ask an admin of a space for it.</p> : (
        <StackForm initial={{ ...settingsOf(), spaceId: spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id }} spaces={spaces} creating error={create.error} pending={create.isPending} submitLabel="Create stack" onSubmit={(v) => create.mutate(v)} />
      )}
    </>
  );
}
