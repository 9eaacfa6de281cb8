/**
 * Run by the arm64 Node under emulation (test/lambda-arm64.test.ts): loads one unzipped
 * Lambda bundle as the nodejs22.x runtime does (require index.js, export `handler`), calls
 * it with each event in turn in the same warm process, and writes what it returned, the
 * runtime it ran on and the native modules it loaded to a JSON file (stdout is the
 * function's own log). CommonJS and Node built-ins only: nothing from the host's node_modules.
 */
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const [dir, eventsFile, resultFile] = process.argv.slice(2);

(async () => {
  const { handler } = require(join(dir, "index.js"));
  const results = [];
  for (const event of JSON.parse(readFileSync(eventsFile, "utf8"))) results.push(await handler(event));
  writeFileSync(
    resultFile,
    JSON.stringify({
      runtime: { arch: process.arch, platform: process.platform, version: process.version },
      // A native addon is cached by its resolved path: which argon2.node the bundle loaded.
      nativeModules: Object.keys(require.cache).filter((file) => file.endsWith(".node")),
      results,
    }),
  );
  // The SDK's keep-alive sockets must not keep the process alive; Lambda would freeze it here.
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
