/**
 * What a browser needs of the contract at run time, without zod or the endpoint table's schemas:
 * the HTTP client (given each endpoint's method and path) and a few shared constants. Types
 * still come from the package's main entry (`import type`), which costs nothing at run time.
 */
export { GantryApiError, GantryHttpClient, type ClientOptions, type RouteTable } from "./http-client.js";
export { MASKED_OUTPUT } from "./masked-output.js";
