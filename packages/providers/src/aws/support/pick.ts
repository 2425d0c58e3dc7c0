/**
 * The planned value of an optional+computed attribute when the configuration set it, else the
 * provider's choice (unknown markers and nulls are objects/null, hence the typeof test).
 */
export function known(planned: unknown, fallback: string): string;
export function known(planned: unknown, fallback: number): number;
export function known(planned: unknown, fallback: boolean): boolean;
export function known(planned: unknown, fallback: string | number | boolean): string | number | boolean {
  return planned === null || typeof planned === "object" ? fallback : (planned as string | number | boolean);
}
