import { queryOptions } from "@tanstack/react-query";
import { call } from "../../app/api.js";

/** The overview's one read model, refreshed every few seconds while the page is open. */
export const overviewQuery = () => queryOptions({ queryKey: ["overview"], queryFn: () => call("getOverview", {}), refetchInterval: 3_000 });
