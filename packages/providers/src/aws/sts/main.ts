/**
 * Runs the simulated STS endpoint on its own: `tsx packages/providers/src/aws/sts/main.ts`, with
 * AWS_SIM_DIR naming the simulated cloud (as for the provider) and AWS_SIM_STS_PORT the port
 * (default 4820). Point workers at it with GANTRY_AWS_STS_ENDPOINT.
 */
import { resolve } from "node:path";
import { CloudStore } from "../cloud/cloud-store.js";
import { startSimulatedSts } from "./sts-server.js";

const dir = resolve(process.env["AWS_SIM_DIR"] || ".aws-sim");
const sts = await startSimulatedSts(new CloudStore(dir), { port: Number(process.env["AWS_SIM_STS_PORT"] || 4820) });
console.log(`simulated STS for ${dir} listening at ${sts.url}`);
