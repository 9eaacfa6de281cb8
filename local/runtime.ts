/**
 * The whole API on one machine with no AWS account: the same esbuild bundles that
 * deploy, dynalite and a local SES v2 server on loopback, a local P-256 signing key, and the
 * API Gateway stand-in.
 */
import { createPublicKey } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateMacKeyFile } from "../handlers/lib/adapters/local-mac-key.js";
import { loadOrCreateKeyFile } from "../handlers/lib/adapters/local-signer.js";
import { spkiOf } from "../handlers/lib/domain/keys.js";
import { AUTHORIZER, AUTHORIZER_CACHE, routes } from "../handlers/routes.js";
import { allowedOrigins, integer } from "../handlers/lib/runtime/config.js";
import { bundleAll, ROOT } from "../bundle/bundler.js";
import { ensureTable, localDynamoClient, startDynalite, type RunningDynalite } from "./dynalite.js";
import { createGateway, type LambdaHandler } from "./gateway.js";
import { listenOnLoopback } from "./listen.js";
import { startLocalSes, type RunningSes } from "./ses.js";

export interface LocalOptions {
  port: number;
  /** Keep nothing on disk: table and signing key live only as long as the process. */
  memory: boolean;
  dataDir: string;
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

export async function startLocalRuntime(options: LocalOptions): Promise<LocalRuntime> {
  const env = process.env;
  // Checked before anything starts, so a bad value leaves nothing behind.
  const authorizerCacheTtlSeconds = integer(env, "AUTHORIZER_CACHE_TTL_SECONDS", AUTHORIZER_CACHE.defaultTtlSeconds, 0, AUTHORIZER_CACHE.maxTtlSeconds);
  const origins = allowedOrigins(env);
  const dataDir = options.memory ? mkdtempSync(join(tmpdir(), "auth-local-")) : options.dataDir;
  mkdirSync(dataDir, { recursive: true });

  // LocalStack users point AWS_ENDPOINT_URL at it; everyone else gets dynalite.
  let dynamo: RunningDynalite | undefined;
  if (!env.AWS_ENDPOINT_URL && !env.AWS_ENDPOINT_URL_DYNAMODB) {
    dynamo = await startDynalite({ path: options.memory ? undefined : join(dataDir, "dynalite") });
    env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    env.AWS_REGION ??= "us-east-1";
    env.AWS_ACCESS_KEY_ID ??= "local";
    env.AWS_SECRET_ACCESS_KEY ??= "local";
  }
  let ses: RunningSes | undefined;
  /** Stops dynalite and the mail server and, in --memory mode, removes the throwaway data folder. */
  const release = async () => {
    await dynamo?.close();
    await ses?.close();
    if (options.memory) rmSync(dataDir, { recursive: true, force: true });
  };
  // Mail the same way: a local SES v2 server unless one is configured (LocalStack has SES too).
  if (!env.AWS_ENDPOINT_URL && !env.AWS_ENDPOINT_URL_SESV2) {
    ses = await startLocalSes().catch(async (error) => {
      await release();
      throw error;
    });
    env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
  }

  const tableName = env.TABLE_NAME ?? TABLE_NAME;
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL!;
  const admin = localDynamoClient(endpoint);
  await ensureTable(admin, tableName).then(
    () => admin.destroy(),
    async (error) => {
      admin.destroy();
      await release();
      throw error;
    },
  );

  const keyFile = join(dataDir, "signing-key.pem");
  const publicKey = createPublicKey(loadOrCreateKeyFile(keyFile));
  // The local twin of the KMS HMAC key that refresh tokens are MACs under.
  const refreshKeyFile = join(dataDir, "refresh-token-key");
  loadOrCreateMacKeyFile(refreshKeyFile);

  const loaded: Record<string, LambdaHandler> = {};
  const gateway = createGateway({
    routes,
    functions: loaded,
    authorizer: AUTHORIZER,
    authorizerCacheTtlSeconds,
    corsAllowedOrigins: origins,
    log: options.log,
  });
  const url = await listenOnLoopback(gateway, options.port).then(
    (port) => `http://127.0.0.1:${port}`,
    async (error) => {
      await release();
      throw error;
    },
  );

  // The bundles read their configuration at load, as a Lambda cold start does.
  Object.assign(env, {
    TABLE_NAME: tableName,
    ISSUER: env.ISSUER ?? url,
    TENANTS: env.TENANTS ?? "default",
    LOCAL_SIGNING_KEY_FILE: keyFile,
    LOCAL_REFRESH_TOKEN_KEY_FILE: refreshKeyFile,
    JWT_PUBLIC_KEYS: spkiOf(publicKey),
    LOG_LEVEL: env.LOG_LEVEL ?? "warn",
    EMAIL_FROM: env.EMAIL_FROM ?? LOCAL_EMAIL_FROM,
    // Links in mail open the runtime itself unless a local app (the demo) is named.
    APP_URL: env.APP_URL ?? url,
    NODE_ENV: env.NODE_ENV ?? "development",
  });
  // The issuer is the URL, known only once the port is bound: load the bundles after.
  Object.assign(loaded, await loadBundles());

  return {
    url,
    dynamo,
    ses,
    async close() {
      await new Promise<void>((resolve) => {
        gateway.closeAllConnections();
        gateway.close(() => resolve());
      });
      await release();
    },
  };
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
