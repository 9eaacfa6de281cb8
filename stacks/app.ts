import { App } from "cdktf";
import { join } from "node:path";
import type { FunctionName } from "../handlers/functions.js";
import { bundleAll, ROOT } from "../bundle/bundler.js";
import { AuthStack } from "./auth-stack.js";
import { BootstrapStack } from "./bootstrap-stack.js";
import { remoteStateRequired } from "./backend.js";

/** The environments this repository deploys; each has environments/<env>.tfvars.json. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

export interface AppOptions {
  /** Where to write the stacks (default: the CLI's --output, else cdktf.out). */
  outdir?: string;
  /** Where the Lambda bundles are built (default .build/lambda). */
  bundleDir?: string;
  environmentsDir?: string;
  /** Refuse local state (default: remoteStateRequired(process.env), i.e. in GitHub Actions or when asked). */
  requireRemoteState?: boolean;
}

/**
 * Bundles every function for Lambda (esbuild, arm64 argon2), then composes one AuthStack
 * per environment from the same bundles, and the account's `auth-bootstrap` stack. Bundling is async, hence a builder rather than
 * work in a construct.
 */
export async function buildApp(options: AppOptions = {}): Promise<App> {
  const built = await bundleAll(options.bundleDir ?? join(ROOT, ".build", "lambda"), "lambda");
  const bundles = Object.fromEntries(built.map((b) => [b.name, b.dir])) as Record<FunctionName, string>;
  // Without an explicit outdir, App honours the cdktf CLI's --output (CDKTF_OUTDIR) and
  // defaults to cdktf.out; the CLI and `npm run synth` both run from the project root.
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  for (const environment of ENVIRONMENTS) {
    new AuthStack(app, `auth-${environment}`, {
      environment,
      bundles,
      environmentsDir: options.environmentsDir ?? join(ROOT, "environments"),
      requireRemoteState: options.requireRemoteState ?? remoteStateRequired(process.env),
    });
  }
  // Once per account and region, before the environments (README: from an empty account to a deployed stage).
  new BootstrapStack(app, "auth-bootstrap", { environments: ENVIRONMENTS });
  return app;
}
