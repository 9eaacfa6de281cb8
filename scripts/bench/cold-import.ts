/**
 * Cold import of every bundle, each in fresh Node processes (as a Lambda cold start loads
 * it), against an empty module loaded the same way: what a function adds to a cold start
 * before its handler runs.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./stats.js";

export interface ColdImportRow {
  name: string;
  milliseconds: number;
  /** Against the empty module, median of per-round ratios. */
  ratio: number;
}

/** Times one `require` inside a fresh process; the process's own start-up is not counted. */
const PROBE = `const t = performance.now(); require(process.argv[1]); process.stdout.write(String(performance.now() - t));`;

const importOnce = (file: string, env: NodeJS.ProcessEnv): number =>
  Number(execFileSync(process.execPath, ["-e", PROBE, file], { env, encoding: "utf8" }));

/**
 * `bundles`: name -> index.js. `env` must hold what the bundles check at load (the local
 * runtime's environment does). Rounds interleave the bundles so drift hits all alike.
 */
export function benchColdImport(bundles: ReadonlyArray<{ name: string; file: string }>, env: NodeJS.ProcessEnv, rounds: number): ColdImportRow[] {
  const dir = mkdtempSync(join(tmpdir(), "bench-empty-"));
  try {
    const empty = join(dir, "empty.js");
    writeFileSync(empty, "module.exports = {};\n");
    const all = [{ name: "empty module", file: empty }, ...bundles];
    const times = new Map(all.map((b) => [b.name, [] as number[]]));
    for (let round = 0; round < rounds; round++) {
      for (const bundle of all) times.get(bundle.name)!.push(importOnce(bundle.file, env));
    }
    const base = times.get("empty module")!;
    return all.map(({ name }) => {
      const own = times.get(name)!;
      return { name, milliseconds: median(own), ratio: median(own.map((t, i) => t / base[i])) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
