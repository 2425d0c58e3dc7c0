/** Small conversions between database rows and API values, shared by every repository. */

export const toBool = (n: number | boolean): boolean => n === 1 || n === true;
export const fromBool = (b: boolean): number => (b ? 1 : 0);
export const now = (): string => new Date().toISOString();

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Classifies a driver error as a unique or foreign-key violation, for SQLite and PostgreSQL alike. */
export function constraintKind(err: unknown): "unique" | "foreign_key" | undefined {
  const e = err as { code?: string };
  if (e.code === "23505" || e.code === "SQLITE_CONSTRAINT_PRIMARYKEY" || e.code === "SQLITE_CONSTRAINT_UNIQUE") return "unique";
  if (e.code === "23503" || e.code === "SQLITE_CONSTRAINT_FOREIGNKEY") return "foreign_key";
  return undefined;
}
