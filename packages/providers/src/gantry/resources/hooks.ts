import { hookNames, type Hooks } from "@gantry/contract";
import { attr, t } from "@gantry/tfplugin";
import { snake } from "../api.js";

type HookAttr = (typeof hookNames)[number];

/** One optional list attribute per hook: `before_init`, `after_plan`, ... as in Spacelift's provider. */
export const hookAttributes = Object.fromEntries(
  hookNames.map((h) => [snake(h), attr.list(t.string, { optional: true, default: [] as string[] })]),
) as { [K in HookAttr as SnakeHook<K>]: ReturnType<typeof attr.list<string, { optional: true; default: string[] }>> };

type SnakeHook<K extends string> = K extends `${infer A}${"Init" | "Plan" | "Apply" | "Destroy" | "Perform" | "Run"}`
  ? K extends `${A}${infer B}` ? `${A}_${Lowercase<B>}` : never
  : never;

/** Hook attributes (snake_case) -> the API's hooks object. */
export function hooksToApi(values: Record<string, unknown>): Hooks {
  return Object.fromEntries(hookNames.map((h) => [h, (values[snake(h)] as string[] | null) ?? []])) as Hooks;
}

/** The API's hooks object -> hook attributes. */
export function hooksFromApi(hooks: Hooks): Record<string, string[]> {
  return Object.fromEntries(hookNames.map((h) => [snake(h), hooks[h]]));
}
