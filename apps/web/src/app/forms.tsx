import type { FieldIssue } from "@gantry/contract";
import { GantryApiError } from "@gantry/contract/browser";
import type { ReactNode } from "react";

/**
 * The field problems of a refused request, from the error envelope's `details.issues` (the
 * server's validation is the only one: the form shows what it says next to the field it names).
 */
export function issuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof GantryApiError)) return [];
  const issues = (error.details as { issues?: FieldIssue[] } | undefined)?.issues;
  return Array.isArray(issues) ? issues : [];
}

/** Messages for one field: issues whose path is the field or lies under it (`labels.2`). */
export function messagesFor(error: unknown, field: string): string[] {
  return issuesOf(error)
    .filter((i) => i.path.join(".") === field || i.path.join(".").startsWith(`${field}.`))
    .map((i) => (i.path.length > field.split(".").length ? `${i.path.slice(field.split(".").length).join(".")}: ${i.message}` : i.message));
}

/** Splits "a, b" or one per line into a list, as labels are typed. */
export function splitList(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== "");
}

interface FieldProps {
  /** The request field it edits: the error envelope's path joined with dots. */
  name: string;
  label: string;
  error: unknown;
  hint?: ReactNode;
  /** Sets this field's element ids apart when two forms on one page edit fields of the same name. */
  idPrefix?: string;
}

function Problems({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return <p id={id} className="field-error">{messages.join("; ")}</p>;
}

/** A labelled text input with its hint and the server's message for it, tied by aria-describedby. */
export function TextField({ name, label, error, hint, idPrefix, value, onChange, type = "text", multiline = false, ...rest }: FieldProps & { value: string; onChange: (v: string) => void; type?: string; multiline?: boolean; placeholder?: string; autoComplete?: string; readOnly?: boolean; inputMode?: "numeric" }) {
  const id = `${idPrefix ?? "field"}-${name.replace(/\W/g, "-")}`;
  const messages = messagesFor(error, name);
  const describedBy = [hint ? `${id}-hint` : "", messages.length ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, value, "aria-invalid": messages.length > 0 || undefined, "aria-describedby": describedBy, ...rest };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea {...common} rows={4} onChange={(e) => onChange(e.target.value)} /> : <input {...common} type={type} onChange={(e) => onChange(e.target.value)} />}
      {hint ? <p id={`${id}-hint`} className="hint muted">{hint}</p> : null}
      <Problems id={`${id}-error`} messages={messages} />
    </div>
  );
}

export function CheckboxField({ name, label, error, hint, idPrefix, checked, onChange }: FieldProps & { checked: boolean; onChange: (v: boolean) => void }) {
  const id = `${idPrefix ?? "field"}-${name.replace(/\W/g, "-")}`;
  const messages = messagesFor(error, name);
  return (
    <div className="field">
      <label className="inline" htmlFor={id}><input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />{label}</label>
      {hint ? <p id={`${id}-hint`} className="hint muted">{hint}</p> : null}
      <Problems id={`${id}-error`} messages={messages} />
    </div>
  );
}

export function SelectField({ name, label, error, hint, idPrefix, value, onChange, options }: FieldProps & { value: string; onChange: (v: string) => void; options: { value: string; label: string }[] }) {
  const id = `${idPrefix ?? "field"}-${name.replace(/\W/g, "-")}`;
  const messages = messagesFor(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={messages.length > 0 || undefined} aria-describedby={messages.length ? `${id}-error` : undefined}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {hint ? <p className="hint muted">{hint}</p> : null}
      <Problems id={`${id}-error`} messages={messages} />
    </div>
  );
}

/**
 * The summary above a refused form: the server's message, and the field problems that no field
 * of this form shows (so nothing the server said is lost).
 */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error) return null;
  const unshown = issuesOf(error).filter((i) => !fields.some((f) => i.path.join(".") === f || i.path.join(".").startsWith(`${f}.`)));
  const shown = issuesOf(error).length - unshown.length;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error form-error">
      <p><strong>Not saved.</strong> {shown > 0 ? `${shown === 1 ? "One field needs" : `${shown} fields need`} attention: see the message${shown === 1 ? "" : "s"} next to ${shown === 1 ? "it" : "them"}.` : message}</p>
      {shown > 0 && unshown.length > 0 ? <ul>{unshown.map((i) => <li key={i.path.join(".") + i.message}>{i.path.join(".") || "request"}: {i.message}</li>)}</ul> : null}
    </div>
  );
}
