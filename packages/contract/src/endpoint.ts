import type { z } from "zod";
import type { Role } from "./schemas/common.js";

/**
 * Who may call an endpoint: anyone, any authenticated caller (answers are filtered to what the
 * caller may see), or a caller holding `role` on the space of the target (`root` for
 * instance-wide resources such as users and teams).
 */
export type Access =
  | { kind: "public" }
  | { kind: "authenticated" }
  | { kind: "space"; role: Role; root?: boolean };

/** One API endpoint: the single source of truth for the server's routes, the OpenAPI document and the client. */
export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Response body schema; `null` for 204 No Content. */
  response: R | null;
  status?: 200 | 201 | 204;
  /** Largest request body accepted, in bytes, where the server-wide default (8 MiB) is too small. */
  bodyLimit?: number;
  /**
   * Set on endpoints of capabilities that are planned but not built: the server answers
   * `not_supported` (501) with this text to every authenticated caller, instead of pretending.
   */
  notYet?: string;
  /** A Cache-Control header for the answer (public protocol documents such as the JWKS). */
  cacheControl?: string;
}

/** Declares an endpoint while keeping its schema types. */
export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

type Infer<T> = T extends z.ZodType ? z.input<T> : never;

/** What a client passes to call an endpoint. */
export type EndpointInput<E> = (E extends { params: infer P } ? { params: Infer<P> } : { params?: undefined }) &
  (E extends { query: infer Q } ? { query?: Infer<Q> } : { query?: undefined }) &
  (E extends { body: infer B } ? { body: Infer<B> } : { body?: undefined });

/** What a call returns. */
export type EndpointOutput<E> = E extends { response: infer R } ? (R extends z.ZodType ? z.infer<R> : void) : never;
