/** `npm run build`: host bundles into dist/ for the local runtime (the bundler lives in bundle/). */
import { join } from "node:path";
import { bundleAll, ROOT } from "../bundle/bundler.js";

const results = await bundleAll(join(ROOT, "dist"), "host");
for (const result of results) console.log(`${result.name.padEnd(10)} ${(result.bundleBytes / 1024).toFixed(1)} KB`);
