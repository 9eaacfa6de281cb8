/**
 * Bundles every Lambda with esbuild into `<outDir>/<function>/index.js`, one folder per
 * function so one zip holds one function. Functions that hash passwords get argon2's
 * native binary beside the bundle as `argon2.node`:
 * - target "host": the binary node-gyp-build picks on this machine (for `npm start`);
 * - target "lambda": the linux-arm64 glibc prebuild, never `build/` (an x64 binary).
 */
import { build, type Plugin } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { functions, type FunctionName, type FunctionSpec } from "../handlers/functions.js";

export type BundleTarget = "host" | "lambda";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ARGON2_BINARY = "argon2.node";
const require = createRequire(import.meta.url);
const argon2Dir = dirname(require.resolve("argon2/package.json"));

/** The argon2 binary to ship for a target. */
export function argon2BinaryFor(target: BundleTarget): string {
  if (target === "lambda") return join(argon2Dir, "prebuilds", "linux-arm64", "argon2.armv8.glibc.node");
  const nodeGypBuild = require("node-gyp-build") as { path(dir: string): string };
  return nodeGypBuild.path(argon2Dir);
}

/**
 * argon2 finds its binary with node-gyp-build relative to its own folder, which does not
 * exist in a bundle: load `argon2.node` from the bundle's folder instead.
 */
const argon2BesideBundle: Plugin = {
  name: "argon2-beside-bundle",
  setup(builder) {
    builder.onLoad({ filter: /[\\/]argon2[\\/]argon2\.cjs$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const patched = source
        .replace(/^const gypBuild = require\("node-gyp-build"\);$/m, "")
        .replace("gypBuild(__dirname)", `require(require("node:path").join(__dirname, ${JSON.stringify(ARGON2_BINARY)}))`);
      if (patched === source || patched.includes("gypBuild")) {
        throw new Error("argon2's loader changed: update the argon2-beside-bundle plugin");
      }
      return { contents: patched, loader: "js" };
    });
  },
};

/**
 * jsonwebtoken checks Node's version with semver (29 KB, half the authorizer) in three
 * feature-detection modules. The bundles target Node 22, where all three are true.
 */
const jsonwebtokenOnNode22: Plugin = {
  name: "jsonwebtoken-on-node22",
  setup(builder) {
    builder.onLoad(
      { filter: /[\\/]jsonwebtoken[\\/]lib[\\/](psSupported|asymmetricKeyDetailsSupported|rsaPssKeyDetailsSupported)\.js$/ },
      () => ({ contents: "module.exports = true;", loader: "js" }),
    );
  },
};

/**
 * Lambda hands a function its role's credentials in environment variables, so the SDK's
 * default chain (profiles, SSO, STS web identity, IMDS: 40% of a DynamoDB bundle, with the
 * nested STS and SSO clients) is dead code there. Every client reads the environment only;
 * the local runtime puts credentials there too.
 */
const credentialsFromEnvironment: Plugin = {
  name: "credentials-from-environment",
  setup(builder) {
    builder.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: "credential-provider-node", namespace: "credentials-from-environment" }));
    builder.onLoad({ filter: /.*/, namespace: "credentials-from-environment" }, () => ({
      contents: 'import { fromEnv } from "@aws-sdk/credential-provider-env"; export const defaultProvider = (init) => fromEnv(init);',
      resolveDir: ROOT,
      loader: "js",
    }));
  },
};

export interface BundleResult {
  name: FunctionName;
  dir: string;
  bundleBytes: number;
  /** Source files and packages that went into the bundle (from esbuild's metafile). */
  inputs: string[];
}

/** Bundles one function; returns its folder and the size of its `index.js`. */
export async function bundleFunction(fn: FunctionSpec, outDir: string, target: BundleTarget): Promise<BundleResult> {
  const dir = join(outDir, fn.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await build({
    entryPoints: [join(ROOT, fn.entry)],
    outfile: join(dir, "index.js"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    mainFields: ["module", "main"],
    minify: true,
    // No keepNames: it wraps every function, closures made per request included, in a
    // defineProperty call (8% of the authorizer's verification). The error classes that logs
    // name spell their names out instead (domain/errors.ts).
    sourcemap: true,
    legalComments: "external",
    logLevel: "error",
    metafile: true,
    plugins: [argon2BesideBundle, jsonwebtokenOnNode22, credentialsFromEnvironment],
  });
  // Host bundles keep esbuild's paths, which lead to the real files for local stack traces.
  if (target === "lambda") projectRelativeSourceMap(join(dir, "index.js.map"));
  // The bundle is CommonJS; without this, a parent package.json with "type": "module"
  // (this project's, in dist/) would make Node load it as ESM.
  writeFileSync(join(dir, "package.json"), '{ "type": "commonjs" }\n');
  if (fn.argon2) copyFileSync(argon2BinaryFor(target), join(dir, ARGON2_BINARY));
  return {
    name: fn.name,
    dir,
    bundleBytes: statSync(join(dir, "index.js")).size,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/**
 * esbuild writes the map's `sources` relative to the output folder, so they spell the path from
 * there to the clone (`../../../home/ci/work/...`): two machines, or two output folders, gave
 * different bytes, hence a different Lambda zip. Relative to the project root they are the same
 * everywhere (`handlers/login.ts`), and Lambda's stack traces stay readable.
 */
function projectRelativeSourceMap(mapFile: string): void {
  const map = JSON.parse(readFileSync(mapFile, "utf8")) as { sources: string[] };
  // A plugin's virtual module (`namespace:path`) names no file: it stays as esbuild wrote it.
  const virtual = /^[a-z-]+:/;
  map.sources = map.sources.map((source) => (virtual.test(source) ? source : relative(ROOT, resolve(dirname(mapFile), source)).split(sep).join("/")));
  writeFileSync(mapFile, JSON.stringify(map));
}

/** Bundles every function in the manifest; rejects if any one fails. */
export function bundleAll(outDir: string, target: BundleTarget): Promise<BundleResult[]> {
  return Promise.all(functions.map((fn) => bundleFunction(fn, outDir, target)));
}
