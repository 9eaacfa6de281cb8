import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { functions } from "../handlers/functions.js";
import * as errors from "../handlers/lib/domain/errors.js";
import { ARGON2_BINARY, type BundleTarget } from "../bundle/bundler.js";
import { bundles, removeBundles } from "./helpers/bundles.js";
import { ELF_MACHINE, elfMachine } from "./helpers/elf.js";

const KB = 1024;
const machineOf = (file: string) => elfMachine(readFileSync(file));

describe("bundles", function () {
  this.timeout(120_000);
  after(removeBundles);

  for (const target of ["lambda", "host"] as BundleTarget[]) {
    describe(`target ${target}`, () => {
      it("builds one folder per function with index.js and its source map", async () => {
        const built = await bundles(target);
        expect(built.map((b) => b.name).sort()).to.deep.equal(functions.map((f) => f.name).sort());
        for (const b of built) {
          expect(existsSync(join(b.dir, "index.js")), b.name).to.equal(true);
          expect(existsSync(join(b.dir, "index.js.map")), b.name).to.equal(true);
        }
      });

      it("keeps the authorizer under 64 KB with no AWS SDK, and every bundle under 700 KB", async () => {
        for (const b of await bundles(target)) {
          const limit = b.name === "authorizer" ? 64 * KB : 700 * KB;
          expect(b.bundleBytes, `${b.name} is ${b.bundleBytes} bytes`).to.be.below(limit);
        }
        const authorizer = (await bundles(target)).find((b) => b.name === "authorizer")!;
        expect(authorizer.inputs.filter((i) => /@aws-sdk|@smithy/.test(i))).to.deep.equal([]);
        expect(authorizer.inputs.some((i) => i.includes("node_modules/jsonwebtoken/"))).to.equal(true);
      });

      it("reads AWS credentials from the environment only: no profile, SSO, STS or IMDS providers and no nested clients", async () => {
        const withSdk = (await bundles(target)).filter((b) => b.inputs.some((i) => i.includes("node_modules/@aws-sdk/")));
        expect(withSdk.map((b) => b.name)).to.include.members(["login", "me", "register"]);
        for (const b of withSdk) {
          const chain = b.inputs.filter((i) => /@aws-sdk\/(credential-provider-(?!env)|nested-clients|token-providers)|@smithy\/credential-provider-imds/.test(i));
          expect(chain, b.name).to.deep.equal([]);
          expect(b.inputs.some((i) => i.includes("@aws-sdk/credential-provider-env/")), b.name).to.equal(true);
        }
      });

      it("carries the breached-password list only where new passwords are set", async () => {
        for (const b of await bundles(target)) {
          const carries = b.inputs.some((i) => i.endsWith("password-blocklist-data.ts"));
          expect(carries, b.name).to.equal(["register", "change-password", "reset-password"].includes(b.name));
        }
      });

      it("ships argon2.node beside exactly the bundles that hash passwords", async () => {
        for (const b of await bundles(target)) {
          const spec = functions.find((f) => f.name === b.name)!;
          expect(existsSync(join(b.dir, ARGON2_BINARY)), b.name).to.equal(spec.argon2);
        }
        expect(functions.filter((f) => f.argon2).map((f) => f.name)).to.deep.equal(["register", "login", "change-password", "delete-account", "reset-password", "mfa-disable", "mfa-recovery-codes"]);
      });
    });
  }

  it("ships the linux-arm64 glibc argon2 prebuild to Lambda, never the host build", async () => {
    const login = (await bundles("lambda")).find((b) => b.name === "login")!;
    expect(machineOf(join(login.dir, ARGON2_BINARY))).to.equal(ELF_MACHINE.arm64);
  });

  it("ships the host's own argon2 binary for the local runtime", async () => {
    const login = (await bundles("host")).find((b) => b.name === "login")!;
    const expected = process.arch === "arm64" ? ELF_MACHINE.arm64 : ELF_MACHINE.x64;
    expect(machineOf(join(login.dir, ARGON2_BINARY))).to.equal(expected);
  });

  it("loads every bundle in plain node (no tsx), as Lambda does, argon2 included", async () => {
    const { execFileSync } = await import("node:child_process");
    const { generateKeyPairSync } = await import("node:crypto");
    const spki = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const env = { PATH: process.env.PATH, ISSUER: "https://auth.test", TENANTS: "default", TABLE_NAME: "t", AWS_REGION: "eu-west-1", JWT_PUBLIC_KEYS: spki, SIGNING_KEY_ID: "alias/test", SIGNING_PUBLIC_KEY: spki, REFRESH_TOKEN_KEY_ID: "alias/test-refresh", SECRET_KEY_ID: "alias/test-secrets", EMAIL_FROM: "no-reply@auth.test", APP_URL: "https://app.auth.test", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    for (const b of await bundles("host")) {
      const script = `const m = require(${JSON.stringify(join(b.dir, "index.js"))}); if (typeof m.handler !== "function") process.exit(3);` +
        (b.name === "register" ? `require(${JSON.stringify(join(b.dir, ARGON2_BINARY))});` : "");
      execFileSync(process.execPath, ["-e", script], { env, cwd: b.dir, stdio: "pipe" });
    }
  });

  it("every domain error spells out its own class name, which the bundles' minifier would mangle", () => {
    type Concrete = new (description: string, retryAfterSeconds: number) => errors.AuthError;
    const classes = (Object.values(errors) as unknown[]).filter((value) => typeof value === "function" && value.prototype instanceof errors.AuthError) as Concrete[];
    expect(classes.length).to.be.above(10);
    for (const Class of classes) expect(new Class("x", 1).name).to.equal(Class.name);
  });

  it("names the error class in a bundle's log line", async () => {
    const { execFileSync } = await import("node:child_process");
    const me = (await bundles("host")).find((b) => b.name === "me")!;
    const env = { PATH: process.env.PATH, TABLE_NAME: "t", AWS_REGION: "eu-west-1", LOG_LEVEL: "info", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    // Without the authorizer's context the route refuses before any AWS call.
    const event = { requestContext: { requestId: "r", http: { method: "GET", path: "/me" } } };
    const script = `require(${JSON.stringify(join(me.dir, "index.js"))}).handler(${JSON.stringify(event)}).then((r) => console.log("status " + r.statusCode))`;
    const lines = execFileSync(process.execPath, ["-e", script], { env, cwd: me.dir, encoding: "utf8" }).trim().split("\n");
    expect(lines.at(-1)).to.equal("status 401");
    const refused = JSON.parse(lines.find((line) => line.includes("request refused"))!);
    expect(refused).to.include({ error: "InvalidTokenError", code: "invalid_token" });
  });

  it("loads argon2 from beside the bundle, not through node-gyp-build (host)", async () => {
    const register = (await bundles("host")).find((b) => b.name === "register")!;
    const source = readFileSync(join(register.dir, "index.js"), "utf8");
    expect(source).not.to.include("node-gyp-build");
    const { createRequire } = await import("node:module");
    const require = createRequire(import.meta.url);
    // The patched loader in isolation: argon2.node beside index.js must load.
    const binding = require(join(register.dir, ARGON2_BINARY)) as { hash: unknown };
    expect(binding.hash).to.be.a("function");
  });
});
