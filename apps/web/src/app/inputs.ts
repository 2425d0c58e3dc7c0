import type { EndpointInput, Endpoints } from "@gantry/contract";

/*
 * Inputs of the calls the frame makes on every page, shared by its queries (api.ts) and the
 * entry script that starts them early (first-page-calls.ts): an early answer is only taken by a
 * call with the very same input.
 */
export const meInput: EndpointInput<Endpoints["me"]> = {};
export const spacesInput: EndpointInput<Endpoints["listSpaces"]> = { query: { limit: 1000 } };
export const overviewInput: EndpointInput<Endpoints["getOverview"]> = {};
