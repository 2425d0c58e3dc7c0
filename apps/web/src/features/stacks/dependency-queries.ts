import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { call } from "../../app/api.js";

/** The stack's upstream and downstream dependencies: one cache entry for the graph and the lists. */
export const dependenciesQuery = (stackId: string) => queryOptions({ queryKey: ["dependencies", stackId], queryFn: () => call("listStackDependencies", { params: { id: stackId } }) });

/** A stack's outputs (sensitive ones masked by the server), as the outputs section reads them. */
export const outputsQuery = (stackId: string) => queryOptions({ queryKey: ["stack-outputs", stackId], queryFn: () => call("stackOutputs", { params: { id: stackId } }) });

/** After a dependency or reference changed: the lists of the stacks at both ends and every dependency graph. */
export function dependenciesChanged(qc: QueryClient, ...stackIds: string[]): void {
  for (const id of stackIds) void qc.invalidateQueries({ queryKey: ["dependencies", id] });
  void qc.invalidateQueries({ queryKey: ["dependency-graph"] });
}
