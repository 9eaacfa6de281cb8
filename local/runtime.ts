/**
 * The whole API on one machine with no AWS account: the same esbuild bundles that
 * deploy, dynalite and a local SES v2 server on loopback, a local P-256 signing key, and the
 * API Gateway stand-in.
 */
import { createPublicKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spkiOf } from "../handlers/lib/domain/keys.js";
import { AUTHORIZER, AUTHORIZER_CACHE, routes } from "../handlers/routes.js";
import { allowedOrigins, integer, loadConfig, loadLimits, loadMailSettings, loadMfaSettings, logLevel, type Env } from "../handlers/lib/runtime/config.js";
import { bundleAll, ROOT } from "../bundle/bundler.js";
import { lockDataDir, type DataLock } from "./data-lock.js";
import { ensureTable, localDynamoClient, startDynalite, type RunningDynalite } from "./dynalite.js";
import { createGateway, type LambdaHandler } from "./gateway.js";
import { listenOnLoopback } from "./listen.js";
import { checkDynaliteFolder, dataPaths, loadLocalKeys, resetLocalData } from "./local-data.js";
import { startLocalSes, type RunningSes } from "./ses.js";

export interface LocalOptions {
  port: number;
  /** Keep nothing on disk: table and keys live in a temporary folder, removed on exit whatever happens. */
  memory: boolean;
  dataDir: string;
  /** Delete the local data first (`npm start -- --reset`, after the caller has asked). */
  reset?: boolean;
  log: (line: string) => void;
}

export interface LocalRuntime {
  url: string;
  /** The dynalite it started (none with LocalStack): tests stop and reopen it. */
  dynamo?: RunningDynalite;
  /** The local SES server (none when AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_SESV2 points elsewhere): sent mail is read there. */
  ses?: RunningSes;
  close(): Promise<void>;
}

const TABLE_NAME = "auth-local";
/** The sender of local mail; `.localhost` names no real domain (RFC 6761 §6.3). */
const LOCAL_EMAIL_FROM = "no-reply@auth.localhost";
/**
 * The local `iss`: a fixed name rather than the URL, so a token outlives a restart on another
 * port (PORT=0 picks a new one each time). ISSUER overrides it.
 */
export const LOCAL_ISSUER = "http://auth.localhost";
export const LOCAL_TENANTS = "default";

/**
 * The local defaults of what the bundles read (each can be overridden in the environment),
 * set before anything starts so that they are checked first.
 */
function applyLocalDefaults(env: NodeJS.ProcessEnv): void {
  env.ISSUER ??= LOCAL_ISSUER;
  env.TENANTS ??= LOCAL_TENANTS;
  // As documented, and as in AWS: failed logins (info) show why a client was refused.
  env.LOG_LEVEL ??= "info";
  env.EMAIL_FROM ??= LOCAL_EMAIL_FROM;
  env.NODE_ENV ??= "development";
}

/**
 * dynalite, the local SES server and LocalStack accept any credentials, but the SDK in each
 * bundle needs a region and some credentials before it sends anything (without them every
 * request would be a 503). Harmless local ones, unless the environment names its own.
 * Returns what it set, for LocalStack users to see.
 */
function applyLocalAwsDefaults(env: NodeJS.ProcessEnv): string[] {
  const set: string[] = [];
  if (!env.AWS_REGION) {
    // The JavaScript SDK reads only AWS_REGION; LocalStack's tools also use AWS_DEFAULT_REGION.
    env.AWS_REGION = env.AWS_DEFAULT_REGION || "us-east-1";
    set.push(`AWS_REGION=${env.AWS_REGION}`);
  }
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    Object.assign(env, { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
    set.push("AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test");
  }
  return set;
}

/** Everything a bundle checks at its cold start, checked once here so a bad value leaves nothing behind. */
function checkBundleConfig(env: Env): void {
  loadConfig(env);
  loadLimits(env);
  logLevel(env);
  loadMfaSettings(env);
  // APP_URL defaults to the runtime's URL, known only once it listens: any loopback URL checks the rest.
  loadMailSettings({ ...env, APP_URL: env.APP_URL ?? "http://127.0.0.1" });
}

export async function startLocalRuntime(options: LocalOptions): Promise<LocalRuntime> {
  const env = process.env;
  const authorizerCacheTtlSeconds = integer(env, "AUTHORIZER_CACHE_TTL_SECONDS", AUTHORIZER_CACHE.defaultTtlSeconds, 0, AUTHORIZER_CACHE.maxTtlSeconds);
  const origins = allowedOrigins(env);
  applyLocalDefaults(env);
  checkBundleConfig(env);

  // Each step that holds something registers its undoing; any failure undoes them all, in reverse.
  const undo: Array<() => void | Promise<void>> = [];
  const release = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    let lock: DataLock | undefined;
    const dataDir = options.memory ? mkdtempSync(join(tmpdir(), "auth-local-")) : options.dataDir;
    // The folder holds the private key: remove it even when the process ends without close()
    // (an uncaught error), and the lock likewise, so neither outlives the process.
    const onExit = () => {
      lock?.release();
      if (options.memory) rmSync(dataDir, { recursive: true, force: true });
    };
    process.on("exit", onExit);
    undo.push(() => {
      process.off("exit", onExit);
      onExit();
    });
    const paths = dataPaths(dataDir);
    if (!options.memory) {
      lock = lockDataDir(dataDir);
      if (options.reset) {
        const deleted = resetLocalData(dataDir);
        options.log(`deleted the local data in ${dataDir}: ${deleted.length ? deleted.join(", ") : "there was none"}`);
      }
      await checkDynaliteFolder(paths.dynalite);
    }
    const { signingKey } = loadLocalKeys(dataDir);

    // LocalStack users point AWS_ENDPOINT_URL at it; everyone else gets dynalite.
    let dynamo: RunningDynalite | undefined;
    if (!env.AWS_ENDPOINT_URL && !env.AWS_ENDPOINT_URL_DYNAMODB) {
      dynamo = await startDynalite({ path: options.memory ? undefined : paths.dynalite });
      undo.push(() => dynamo!.close());
      env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    }
    // Mail the same way: a local SES v2 server unless one is configured (LocalStack has SES too).
    let ses: RunningSes | undefined;
    if (!env.AWS_ENDPOINT_URL && !env.AWS_ENDPOINT_URL_SESV2) {
      ses = await startLocalSes();
      undo.push(() => ses!.close());
      env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
    }
    const awsDefaults = applyLocalAwsDefaults(env);
    if (env.AWS_ENDPOINT_URL && awsDefaults.length) options.log(`AWS_ENDPOINT_URL ${env.AWS_ENDPOINT_URL}: using ${awsDefaults.join(", ")}`);

    const tableName = env.TABLE_NAME ?? TABLE_NAME;
    const admin = localDynamoClient(env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL!);
    try {
      await ensureTable(admin, tableName);
    } finally {
      admin.destroy();
    }

    const loaded: Record<string, LambdaHandler> = {};
    const gateway = createGateway({
      routes,
      functions: loaded,
      authorizer: AUTHORIZER,
      authorizerCacheTtlSeconds,
      corsAllowedOrigins: origins,
      log: options.log,
    });
    const url = `http://127.0.0.1:${await listenOnLoopback(gateway, options.port)}`;
    undo.push(
      () =>
        new Promise<void>((resolve) => {
          gateway.closeAllConnections();
          gateway.close(() => resolve());
        }),
    );
    lock?.announce(url);

    // The bundles read their configuration at load, as a Lambda cold start does.
    Object.assign(env, {
      TABLE_NAME: tableName,
      LOCAL_SIGNING_KEY_FILE: paths.signingKey,
      LOCAL_REFRESH_TOKEN_KEY_FILE: paths.refreshTokenKey,
      LOCAL_SECRET_KEY_FILE: paths.secretKey,
      JWT_PUBLIC_KEYS: spkiOf(createPublicKey(signingKey)),
      // Links in mail open the runtime itself unless a local app (the demo) is named.
      APP_URL: env.APP_URL ?? url,
    });
    // APP_URL defaults to the URL, known only once the port is bound: load the bundles after.
    Object.assign(loaded, await loadBundles());

    return { url, dynamo, ses, close: release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Builds the host bundles into dist/ and loads each as Lambda would. */
async function loadBundles(): Promise<Record<string, LambdaHandler>> {
  const built = await bundleAll(join(ROOT, "dist"), "host");
  const require = createRequire(import.meta.url);
  const handlers: Record<string, LambdaHandler> = {};
  for (const { name, dir } of built) {
    // A cold start: a runtime started again in the same process (tests) reads its own env.
    const file = join(dir, "index.js");
    delete require.cache[file];
    handlers[name] = (require(file) as { handler: LambdaHandler }).handler;
  }
  return handlers;
}
