/**
 * `npm run build`: the host bundles `npm start` runs, into dist/<function>/. They carry this
 * machine's argon2 binary, so they are not deployable: `npm run synth` bundles for Lambda
 * (linux-arm64) into .build/lambda/ and zips them into each stack.
 */
import { join, relative } from "node:path";
import { bundleAll, ROOT } from "../bundle/bundler.js";

const outDir = join(ROOT, "dist");
const results = await bundleAll(outDir, "host");
console.log(`host bundles for npm start (${process.platform}-${process.arch}; not deployable, \`npm run synth\` builds the Lambda ones) in ${relative(process.cwd(), outDir) || "."}/:`);
for (const result of results) console.log(`  ${`${result.name}/`.padEnd(22)} ${(result.bundleBytes / 1024).toFixed(1)} KB`);
