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
 * Remote state from `environments/<env>.backend.json` when the file exists (S3, locked,
 * encrypted); otherwise local state in the project root. Switching needs no code
 * change: add the file, then `cdktf deploy` offers to migrate the state.
 */
export function configureBackend(stack: TerraformStack, environment: string, environmentsDir: string): void {
  const file = backendFile(environmentsDir, environment);
  if (!existsSync(file)) {
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
