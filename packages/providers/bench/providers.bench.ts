/**
 * `npm run bench:providers`: what the AWS simulator costs under real terraform.
 * - provider start-up per process (spawn -> go-plugin handshake line), target < 150 ms;
 * - plan and apply of a 50-resource simulator configuration, terraform's normal
 *   process-per-call mode against one long-lived provider passed with TF_REATTACH_PROVIDERS;
 * - the same for 50 `terraform_data` resources (no provider at all) as the floor.
 * Options: BENCH_RUNS (default 3) plan/apply rounds per mode, BENCH_STARTS (default 15) launches.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureHandshake, startReattachedProvider } from "@gantry/tfplugin";
import { buildSimulatorMirror, PROVIDER_SOURCE, Workspace } from "../test/e2e/terraform-harness.js";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const STARTS = Number(process.env["BENCH_STARTS"] ?? 15);

/** 50 resources across the simulator's types: 10 networks of VPC, subnet, security group, bucket, role. */
function simulatorConfig(simDir: string): string {
  const blocks = [`provider "aws" {\n  region  = "us-east-1"\n  sim_dir = "${simDir}"\n  default_tags {\n    tags = { bench = "providers" }\n  }\n}`];
  for (let i = 0; i < 10; i += 1) {
    blocks.push(`resource "aws_vpc" "v${i}" {\n  cidr_block = "10.${i}.0.0/16"\n}`);
    blocks.push(`resource "aws_subnet" "s${i}" {\n  vpc_id     = aws_vpc.v${i}.id\n  cidr_block = "10.${i}.1.0/24"\n}`);
    blocks.push(`resource "aws_security_group" "g${i}" {\n  name   = "web-${i}"\n  vpc_id = aws_vpc.v${i}.id\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}`);
    blocks.push(`resource "aws_s3_bucket" "b${i}" {\n  bucket = "bench-bucket-${i}"\n  tags   = { index = "${i}" }\n}`);
    blocks.push(`resource "aws_iam_role" "r${i}" {\n  name               = "bench-role-${i}"\n  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })\n}`);
  }
  return blocks.join("\n");
}

function terraformDataConfig(): string {
  return Array.from({ length: 50 }, (_, i) => `resource "terraform_data" "d${i}" {\n  input = "value-${i}"\n}`).join("\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Plan (to a file) and apply it in a fresh workspace `RUNS` times; init is not timed. */
async function planApply(mirrorDir: string, config: (simDir: string) => string, withProvider: boolean, env: NodeJS.ProcessEnv = {}): Promise<{ plan: number; apply: number }> {
  const plans: number[] = [];
  const applies: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const ws = await Workspace.create(mirrorDir, { AWS_SIM_ALLOW_ANONYMOUS: "1" });
    const body = config(ws.simDir);
    if (withProvider) await ws.writeConfig(body);
    else await writeFile(join(ws.dir, "main.tf"), body);
    await ws.ok(["init"], env);
    plans.push(await timed(() => ws.ok(["plan", "-out=plan.bin"], env)));
    applies.push(await timed(() => ws.ok(["apply", "plan.bin"], env)));
  }
  return { plan: median(plans), apply: median(applies) };
}

const { mirrorDir, binary } = await buildSimulatorMirror();
console.log(`provider bundle: ${binary}`);

// 1. start-up per process, as terraform launches it (AutoMTLS on)
await measureHandshake(binary); // warm the file cache
const starts: number[] = [];
for (let i = 0; i < STARTS; i += 1) starts.push((await measureHandshake(binary)).ms);
console.log(`\nprovider start-up (spawn -> handshake, ${STARTS} launches): median ${median(starts).toFixed(0)} ms, p90 ${percentile(starts, 0.9).toFixed(0)} ms, min ${Math.min(...starts).toFixed(0)} ms (target < 150 ms)`);

// 2. 50 simulator resources: normal vs reattach; 3. 50 terraform_data
const normal = await planApply(mirrorDir, simulatorConfig, true);
const reattached = await startReattachedProvider({ binary, providerAddress: PROVIDER_SOURCE, env: { AWS_SIM_ALLOW_ANONYMOUS: "1" } });
let reattach: { plan: number; apply: number };
try {
  reattach = await planApply(mirrorDir, simulatorConfig, true, { TF_REATTACH_PROVIDERS: reattached.reattachProviders });
} finally {
  await reattached.stop();
}
const floor = await planApply(await mkdtemp(join(tmpdir(), "no-mirror-")), () => terraformDataConfig(), false);

const row = (name: string, r: { plan: number; apply: number }) =>
  `${name.padEnd(34)} plan ${r.plan.toFixed(0).padStart(6)} ms (x${(r.plan / floor.plan).toFixed(2)})   apply ${r.apply.toFixed(0).padStart(6)} ms (x${(r.apply / floor.apply).toFixed(2)})`;
console.log(`\n50 resources, median of ${RUNS} (xN = ratio to terraform_data):`);
console.log(row("simulator, process per call", normal));
console.log(row("simulator, reattached provider", reattach));
console.log(row("terraform_data only", floor));
console.log(`\nreattach speed-up: plan x${(normal.plan / reattach.plan).toFixed(2)}, apply x${(normal.apply / reattach.apply).toFixed(2)}`);
