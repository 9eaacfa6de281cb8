/**
 * `npm run bench` (`-- --quick` for a short run): what this service costs per request on
 * this machine, beside the limits and the peers, all in one run. Numbers, not assertions:
 * machines here are shared and noisy, so compare the ratios, each taken within one run.
 * Prints tables and writes the JSON to .bench/ (git-ignored).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT } from "../bundle/bundler.js";
import { functions } from "../handlers/functions.js";
import { startLocalRuntime } from "../local/runtime.js";
import { benchColdImport } from "./bench/cold-import.js";
import { benchFlows } from "./bench/flows.js";
import { fixed, table } from "./bench/stats.js";
import { benchLoad } from "./bench/throughput.js";
import { benchVerify } from "./bench/verify.js";

const quick = process.argv.includes("--quick");
const size = quick
  ? { rounds: 5, batch: 300, coldRounds: 3, flowSamples: 10, loadSeconds: 3, connections: 10 }
  : { rounds: 15, batch: 1000, coldRounds: 10, flowSamples: 40, loadSeconds: 10, connections: 10 };

/**
 * Every request comes from 127.0.0.1, so the per-address limits are lifted, and sign-in
 * needs no verified email; LOG_LEVEL=warn because a log line per request measures the
 * terminal, and in AWS the log is written outside the request's critical path anyway.
 */
const RUN_ENV = {
  SOURCE_FAILED_LOGINS_PER_WINDOW: "1000000",
  SOURCE_SIGNUPS_PER_WINDOW: "1000000",
  ACCOUNT_EMAILS_PER_WINDOW: "100",
  REQUIRE_EMAIL_VERIFICATION: "false",
  LOG_LEVEL: "warn",
};

const started = new Date();
const machine = `${cpus().length} x ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`;
console.log(`npm run bench${quick ? " --quick" : ""}: ${machine}, ${started.toISOString()}\n`);
const section = (title: string) => console.log(`\n## ${title}`);

Object.assign(process.env, RUN_ENV);
const runtime = await startLocalRuntime({ port: 0, memory: true, dataDir: "", log: () => {} });
let results: Record<string, unknown>;
try {
  // 1. Cold imports of the host bundles the runtime just built, with the environment it set.
  section(`cold import, fresh process each, median of ${size.coldRounds}`);
  const bundles = functions.map((fn) => ({ name: fn.name, file: join(ROOT, "dist", fn.name, "index.js") }));
  const cold = benchColdImport(bundles, process.env, size.coldRounds);
  console.log(table(["bundle", "ms", "x empty"], cold.map((r) => [r.name, fixed(r.milliseconds, 2), fixed(r.ratio, 2)])));

  // 2. The flows through the runtime, beside their parts.
  section(`flows through the local runtime, ${size.flowSamples} each`);
  const flows = await benchFlows(runtime, process.env.TABLE_NAME!, size.flowSamples);
  console.log(table(["flow", "p50 ms", "p95 ms"], [...flows.flows, ...flows.parts].map((r) => [r.name, fixed(r.p50, 2), fixed(r.p95, 2)])));
  console.log(`login beyond one argon2id verify: ${fixed(flows.loginOverheadMs, 2)} ms (p50 difference); register beyond one hash: ${fixed(flows.registerOverheadMs, 2)} ms`);
  await runtime.close();

  // 3. Verification, in this process.
  section(`token verification, ${size.rounds} rounds of ${size.batch}, ratios within each round`);
  const verify = await benchVerify({ rounds: size.rounds, batch: size.batch, authorizerDir: join(ROOT, "dist", "authorizer") });
  for (const [title, rows] of Object.entries(verify)) {
    console.log(`\n${title} tokens`);
    console.log(table(["path", "µs/op", "x raw verify"], rows.map((r) => [r.name, fixed(r.microseconds), fixed(r.ratio, 2)])));
  }

  // 4. Load, with the server in another process.
  section(`load: ${size.connections} connections, ${size.loadSeconds} s per run (autocannon)`);
  const load = await benchLoad({ seconds: size.loadSeconds, connections: size.connections, env: RUN_ENV });
  console.log(
    table(
      ["run", "req/s", "p50 ms", "p99 ms", "non-2xx", "5xx"],
      [...load.reads, ...load.saturation].map((r) => [r.name, fixed(r.requestsPerSecond, 0), fixed(r.p50Ms, 1), fixed(r.p99Ms, 1), r.non2xx, r.serverErrors]),
    ),
  );

  section("targets (issue 16), from this run");
  const targets = checkTargets(verify, cold, flows.loginOverheadMs, [...load.reads, ...load.saturation]);
  for (const target of targets) console.log(`${target.met ? "met   " : "MISSED"} ${target.name}: ${target.measured}`);

  results = { date: started.toISOString(), machine, quick, size, runEnv: RUN_ENV, cold, flows, verify, load, targets };
} catch (error) {
  await runtime.close();
  throw error;
}

const dir = join(ROOT, ".bench");
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${started.toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
writeFileSync(join(dir, "latest.json"), JSON.stringify(results, null, 2));
console.log(`\nresults: ${file}`);

/** The targets, judged on this run's own ratios. */
function checkTargets(
  verify: Awaited<ReturnType<typeof benchVerify>>,
  cold: ReturnType<typeof benchColdImport>,
  loginOverheadMs: number,
  load: Awaited<ReturnType<typeof benchLoad>>["reads"],
): Array<{ name: string; met: boolean; measured: string }> {
  const handler = verify.valid.find((r) => r.name === "this authorizer's handler")!;
  const peers = verify.valid.filter((r) => r !== handler && !r.name.startsWith("raw"));
  const fastestPeer = peers.reduce((a, b) => (a.ratio <= b.ratio ? a : b));
  const repeated = verify.cached[0];
  const authorizerImport = cold.find((r) => r.name === "authorizer")!;
  return [
    { name: "authorizer handler <= 1.05x raw verify", met: handler.ratio <= 1.05, measured: `${fixed(handler.ratio, 2)}x` },
    { name: "authorizer handler at least as fast as every peer", met: handler.ratio <= fastestPeer.ratio, measured: `${fixed(handler.ratio, 2)}x against ${fastestPeer.name} ${fixed(fastestPeer.ratio, 2)}x` },
    { name: "repeated token from the warm cache <= 0.1x raw verify", met: repeated.ratio <= 0.1, measured: `${fixed(repeated.ratio, 3)}x` },
    { name: "login beyond argon2id <= 3 ms (p50)", met: loginOverheadMs <= 3, measured: `${fixed(loginOverheadMs, 2)} ms` },
    { name: "authorizer cold import <= 2x the empty module", met: authorizerImport.ratio <= 2, measured: `${fixed(authorizerImport.ratio, 2)}x` },
    { name: "no 5xx under load", met: load.every((r) => r.serverErrors === 0), measured: load.map((r) => r.serverErrors).join(", ") },
  ];
}
