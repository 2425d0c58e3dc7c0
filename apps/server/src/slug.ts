import { ulid } from "ulid";

/** A lowercase slug of a display name, as used for ids: "Networking Prod" -> "networking-prod". */
export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, 100);
  return s || "item";
}

/** A slug with a unique suffix, for entities whose names repeat across the tree (spaces). */
export function uniqueSlug(name: string): string {
  return `${slugify(name)}-${ulid().toLowerCase()}`;
}
