/**
 * Starts one throwaway PostgreSQL server for the whole test run; test files create their own
 * databases on it (see `test/databases.ts`), so the suite runs against both dialects.
 */
import type { TestProject } from "vitest/node";
import { startPostgres, type PostgresServer } from "./postgres-server.js";

let server: PostgresServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startPostgres();
  project.provide("postgresUrl", server.url);
}

export async function teardown(): Promise<void> {
  server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
