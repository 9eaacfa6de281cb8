import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleAll, type BundleResult, type BundleTarget } from "../../scripts/bundle.js";

const built = new Map<BundleTarget, Promise<BundleResult[]>>();
const dirs: string[] = [];

/** The real esbuild bundles for a target, built once per test run into a temp folder. */
export function bundles(target: BundleTarget): Promise<BundleResult[]> {
  if (!built.has(target)) {
    const dir = mkdtempSync(join(tmpdir(), `auth-bundles-${target}-`));
    dirs.push(dir);
    built.set(target, bundleAll(dir, target));
  }
  return built.get(target)!;
}

export function removeBundles(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  built.clear();
}
