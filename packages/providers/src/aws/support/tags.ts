import { attr, isUnknown, t, Unknown } from "@gantry/tfplugin";
import type { UnknownValue } from "@gantry/tfplugin";

type Tags = { [key: string]: string };

/** The `tags` / `tags_all` pair every taggable AWS resource has. */
export function tagAttributes() {
  return {
    tags: attr.map(t.string, { optional: true }),
    tags_all: attr.map(t.string, { computed: true }),
  };
}

/**
 * Plans `tags_all` like the AWS provider: provider `default_tags` overlaid by the resource's
 * own `tags`; unknown while the resource's tags are.
 */
export function planTagsAll(defaults: { readonly [key: string]: string }, tags: Tags | null | UnknownValue): Tags | UnknownValue {
  if (isUnknown(tags)) return Unknown;
  if (tags !== null && Object.values(tags).some(isUnknown)) return Unknown;
  return { ...defaults, ...(tags ?? {}) };
}

/**
 * Splits the tags a cloud object carries back into `tags` and `tags_all`, as the AWS provider
 * does on refresh: tags equal to a default tag are not the resource's own.
 */
export function tagsFromCloud(defaults: { readonly [key: string]: string }, all: Tags, configured: Tags | null): { tags: Tags | null; tags_all: Tags } {
  const own: Tags = {};
  for (const [k, v] of Object.entries(all)) {
    if (defaults[k] !== v || (configured !== null && configured[k] === v)) own[k] = v;
  }
  const tags = Object.keys(own).length === 0 && configured === null ? null : own;
  return { tags, tags_all: all };
}
