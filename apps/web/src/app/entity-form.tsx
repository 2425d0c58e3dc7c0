import { Link, type LinkProps } from "@tanstack/react-router";
import { useState, type ReactNode } from "react";
import { FormError } from "./forms.js";
import { useSpacesAllowing, type Role } from "./roles.js";
import { ErrorBox, Loading } from "./ui.js";

/**
 * The skeleton shared by the create/edit pages of space-owned entities (AWS integrations,
 * webhooks, ...): form state, the space choice, the refused-form summary, the "new" page that
 * offers only the spaces where the person holds the role, and the delete section.
 */

/** Form state with a setter per field: `set("name")(value)`. */
export function useFormState<T extends object>(initial: T) {
  const [v, setV] = useState(initial);
  const set = <K extends keyof T>(k: K) => (x: T[K]) => setV((old) => ({ ...old, [k]: x }));
  return [v, set] as const;
}

/** The space choices: the spaces offered, plus the stored one if the person may not choose it (kept, not lost). */
export function spaceOptions(spaces: { id: string; name: string }[], current: string) {
  return (spaces.some((s) => s.id === current) ? spaces : [{ id: current, name: current }, ...spaces]).map((s) => ({ value: s.id, label: s.name === s.id ? s.id : `${s.name} (${s.id})` }));
}

/** A create/edit form: the server's refusal summary on top, the fields, one submit button. */
export function EntityForm({ label, fields, error, pending, submitLabel, onSubmit, children }: {
  label: string; fields: string[]; error: unknown; pending: boolean; submitLabel: string; onSubmit: () => void; children: ReactNode;
}) {
  return (
    <form className="edit" noValidate aria-label={label} onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
      <FormError error={error} fields={fields} />
      {children}
      <div className="actions"><button type="submit" className="primary" disabled={pending}>{submitLabel}</button></div>
    </form>
  );
}

/**
 * A "new …" page: the way back, the title, and the form given the spaces where the person holds
 * `needed` (with root, else the first, as the default), or why they cannot create one.
 */
export function NewEntityPage({ back, title, needed, what, children }: {
  back: { to: LinkProps["to"]; label: string }; title: string; needed: Role; what: string;
  children: (spaces: { id: string; name: string }[], defaultSpace: string) => ReactNode;
}) {
  const spaces = useSpacesAllowing(needed);
  if (!spaces) return <Loading what="your spaces" />;
  return (
    <>
      <p className="muted"><Link to={back.to}>{back.label}</Link></p>
      <h1>{title}</h1>
      {spaces.length === 0
        ? <p role="alert" className="error">Creating {what} needs the {needed} role in a space; you have none.</p>
        : children(spaces, spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id)}
    </>
  );
}

/** "Saved." after a successful save. */
export function SavedNotice({ saved, error }: { saved: boolean; error: unknown }) {
  return saved && !error ? <p role="status">Saved.</p> : null;
}

/** The delete section of an edit page: what deleting does, a confirmed button, the server's refusal. */
export function DeleteSection({ name, what, buttonLabel, consequence, pending, error, onDelete }: {
  name: string; what: string; buttonLabel: string; consequence: string; pending: boolean; error: unknown; onDelete: () => void;
}) {
  return (
    <>
      <h2>Delete</h2>
      <p>{consequence}</p>
      <button type="button" className="danger" disabled={pending} onClick={() => { if (window.confirm(`Delete the ${what} ${name}?`)) onDelete(); }}>{buttonLabel}</button>
      {error ? <ErrorBox error={error} /> : null}
    </>
  );
}
