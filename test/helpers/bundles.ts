import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bundleAll, ROOT, type BundleResult, type BundleTarget } from "../../bundle/bundler.js";

const built = new Map<BundleTarget, Promise<BundleResult[]>>();
const dirs: string[] = [];

/**
 * The real esbuild bundles for a target, built once per test run into a temp folder inside
 * the project (.build/, git-ignored), where the project's "type": "module" applies as it
 * does to dist/.
 */
export function bundles(target: BundleTarget): Promise<BundleResult[]> {
  if (!built.has(target)) {
    mkdirSync(join(ROOT, ".build"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, ".build", `test-bundles-${target}-`));
    dirs.push(dir);
    built.set(target, bundleAll(dir, target));
  }
  return built.get(target)!;
}

export function removeBundles(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  built.clear();
}
