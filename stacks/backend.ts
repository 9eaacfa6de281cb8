import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** `environments/<env>.backend.json`: where a team keeps an environment's state. */
export interface S3StateConfig {
  bucket: string;
  /** Defaults to auth/<env>.tfstate. */
  key?: string;
  region: string;
  /** S3-native state locking (Terraform 1.10+); on by default. */
  use_lockfile?: boolean;
  /** Legacy locking through a DynamoDB table, for older Terraform. */
  dynamodb_table?: string;
}

export const backendFile = (environmentsDir: string, environment: string) => join(environmentsDir, `${environment}.backend.json`);

/**
 * The oldest Terraform the configuration works with: 1.9 for variable validations that read
 * other variables (default_tenant, lockout_max_seconds, the credential route limits), 1.10 for
 * S3-native state locking (`use_lockfile`). The workflows pin a version inside it.
 */
export const REQUIRED_TERRAFORM = ">= 1.10.0";

/**
 * Whether a synth must refuse local state: in GitHub Actions, where a runner's disk is thrown
 * away with the state on it (the next deploy would try to create every resource again), or
 * whenever REQUIRE_REMOTE_STATE=true says so. A laptop keeps local state by default.
 */
export const remoteStateRequired = (env: Readonly<Record<string, string | undefined>>): boolean =>
  env.REQUIRE_REMOTE_STATE === "true" || (env.GITHUB_ACTIONS === "true" && env.REQUIRE_REMOTE_STATE !== "false");

/** Refused synth: the message names the file to add. */
export class MissingBackendError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is missing: state would be kept on this machine only, and on a CI runner it is lost with the runner. ` +
        "Add the file (see environments/backend.example.json; the auth-bootstrap stack's outputs give its contents), " +
        "or set REQUIRE_REMOTE_STATE=false for a throwaway synth.",
    );
    this.name = "MissingBackendError";
  }
}

/**
 * Remote state from `environments/<env>.backend.json` when the file exists (S3, locked,
 * encrypted); otherwise local state in the project root, unless `requireRemote` (then the
 * synth stops, naming the file). Switching needs no code change: add the file, then
 * `cdktf deploy` offers to migrate the state. Also pins the Terraform versions the
 * configuration needs (`required_version`).
 */
export function configureBackend(stack: TerraformStack, environment: string, environmentsDir: string, requireRemote = false): void {
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM);
  const file = backendFile(environmentsDir, environment);
  if (!existsSync(file)) {
    if (requireRemote) throw new MissingBackendError(file);
    // Terraform runs in cdktf.out/stacks/<stack>: keep the state in the project root (git-ignored),
    // where cleaning cdktf.out cannot lose it, by a path that holds in any clone.
    new LocalBackend(stack, { path: `../../../terraform.auth-${environment}.tfstate` });
    return;
  }
  const config = JSON.parse(readFileSync(file, "utf8")) as S3StateConfig;
  for (const field of ["bucket", "region"] as const) {
    if (typeof config[field] !== "string" || !config[field]) throw new Error(`${file}: "${field}" is required`);
  }
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    key: config.key ?? `auth/${environment}.tfstate`,
    region: config.region,
    encrypt: true,
    ...(config.dynamodb_table ? { dynamodbTable: config.dynamodb_table } : {}),
  });
  // cdktf 0.21 predates `use_lockfile`; the override writes it into the backend block.
  if (config.use_lockfile ?? !config.dynamodb_table) backend.addOverride("use_lockfile", true);
}
