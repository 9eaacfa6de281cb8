/**
 * `npm run review -- <env>`: a plain-text summary of what `auth-<env>` deploys, for
 * reviewers without AWS access. It synthesizes the app into a temp folder and reads the
 * Terraform JSON: routes with their auth, functions with their IAM actions and resources,
 * table and key settings, and every variable with the value this environment gives it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, ENVIRONMENTS } from "../stacks/app.js";
import { ROOT } from "../bundle/bundler.js";
import { isMain } from "./is-main.js";

type Block = Record<string, any>;

/** The logical id a Terraform reference like `${aws_x.ID.attr}` (or `${data.aws_x.ID.attr}`) points at. */
const referencedId = (type: string, reference: string): string => {
  const match = new RegExp(`${type}\\.([^.]+)\\.`).exec(reference);
  if (!match) throw new Error(`expected a reference to ${type} in ${reference}`);
  return match[1];
};

/** A policy statement's conditions, as " if <variable> <test> <a|b>" (empty without any). */
const conditionOf = (statement: Block): string =>
  statement.condition ? ` if ${statement.condition.map((c: Block) => `${c.variable} ${c.test} ${c.values.join("|")}`).join(" and ")}` : "";

/** Renders the review of one synthesized stack with its tfvars. */
export function renderReview(environment: string, stack: Block, tfvars: Record<string, unknown>): string {
  const variables = (stack.variable ?? {}) as Record<string, Block>;
  const valueOf = (name: string) => (name in tfvars ? tfvars[name] : variables[name]?.default);
  const all = (type: string): Array<[string, Block]> => Object.entries((stack.resource?.[type] ?? {}) as Record<string, Block>);
  const data = (type: string): Record<string, Block> => stack.data?.[type] ?? {};
  const label = (type: string, id: string): string => {
    const block = stack.resource?.[type]?.[id];
    if (!block) return `${type}.${id}`;
    const kinds: Record<string, string> = {
      aws_dynamodb_table: `table ${block.name}`,
      aws_kms_key: `${({ SIGN_VERIFY: "signing", ENCRYPT_DECRYPT: "secrets" } as Record<string, string>)[block.key_usage] ?? "refresh-token"} key (${all("aws_kms_alias")
        .filter(([, a]) => referencedId("aws_kms_key", a.target_key_id) === id)
        .map(([, a]) => a.name)
        .join(", ")})`,
      aws_cloudwatch_log_group: `log group ${block.name}`,
      aws_lambda_function: `function ${block.function_name}`,
      aws_apigatewayv2_api: `API ${block.name}`,
    };
    return kinds[type] ?? `${type}.${id}`;
  };
  /** Replaces Terraform references with what a reviewer needs: values and names. */
  const show = (value: unknown): string => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text
      .replace(/\$\{var\.([a-z0-9_]+)\}/g, (_, name) => `${JSON.stringify(valueOf(name))} (var.${name})`)
      .replace(/\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}(:\*)?/g, (_, type, id, streams) => label(type, id) + (streams ? " (its streams)" : ""));
  };
  const functionsById = Object.fromEntries(all("aws_lambda_function"));
  const fnOf = (reference: string) => functionsById[referencedId("aws_lambda_function", reference)];
  const lines: string[] = [`# auth-${environment}: what this stack deploys`, ""];

  lines.push("## Routes (from handlers/routes.ts)");
  const integrations = Object.fromEntries(all("aws_apigatewayv2_integration"));
  for (const [, route] of all("aws_apigatewayv2_route").sort((a, b) => a[1].route_key.localeCompare(b[1].route_key))) {
    const integration = integrations[referencedId("aws_apigatewayv2_integration", route.target)];
    const strict = String(integration.description ?? "").endsWith(": strict");
    const auth = route.authorization_type !== "CUSTOM" ? "public" : strict ? "strict (authorizer + session read)" : "bearer (Lambda authorizer)";
    lines.push(`- ${route.route_key.padEnd(32)} ${auth.padEnd(34)} -> ${fnOf(integration.integration_uri)?.function_name}`);
  }
  for (const [, authorizer] of all("aws_apigatewayv2_authorizer")) {
    lines.push(
      `- authorizer: ${authorizer.authorizer_type}, payload ${authorizer.authorizer_payload_format_version}, ` +
        `simple responses ${authorizer.enable_simple_responses}, identity ${authorizer.identity_sources.join(", ")}, ` +
        `cache ${show(authorizer.authorizer_result_ttl_in_seconds)} s, function ${fnOf(authorizer.authorizer_uri)?.function_name}`,
    );
  }
  for (const [, api] of all("aws_apigatewayv2_api")) {
    const cors = api.cors_configuration;
    lines.push(`- CORS origins ${show(cors.allow_origins)}, methods ${cors.allow_methods.join(" ")}, headers ${cors.allow_headers.join(" ")}`);
  }
  for (const [, stage] of all("aws_apigatewayv2_stage")) {
    const t = stage.default_route_settings;
    lines.push(`- stage ${stage.name} (auto-deploy ${stage.auto_deploy}): throttling rate ${show(t.throttling_rate_limit)}, burst ${show(t.throttling_burst_limit)}; access log to ${show(stage.access_log_settings.destination_arn)}`);
    const routesById = Object.fromEntries(all("aws_apigatewayv2_route"));
    for (const setting of stage.route_settings ?? []) {
      const route = routesById[referencedId("aws_apigatewayv2_route", setting.route_key)];
      lines.push(`    route ${route.route_key}: throttling rate ${show(setting.throttling_rate_limit)}, burst ${show(setting.throttling_burst_limit)}`);
    }
  }

  lines.push("", "## Functions and their permissions");
  const policies = data("aws_iam_policy_document");
  for (const [, fn] of all("aws_lambda_function").sort((a, b) => a[1].function_name.localeCompare(b[1].function_name))) {
    lines.push(`- ${fn.function_name}: ${fn.runtime} ${fn.architectures.join(",")}, memory ${show(fn.memory_size)} MB, timeout ${fn.timeout} s`);
    const roleId = referencedId("aws_iam_role", fn.role);
    const attached = all("aws_iam_role_policy").filter(([, p]) => p.role.includes(`aws_iam_role.${roleId}.`));
    for (const [, policy] of attached) {
      const doc = policies[referencedId("aws_iam_policy_document", policy.policy)];
      for (const st of doc.statement) lines.push(`    ${st.effect} ${st.actions.join(", ")} on ${st.resources.map(show).join(", ")}${conditionOf(st)}`);
    }
    lines.push(`    env: ${Object.keys(fn.environment.variables).sort().join(", ")}`);
  }

  lines.push("", "## Data and keys");
  for (const [, t] of all("aws_dynamodb_table")) {
    lines.push(
      `- table ${t.name}: ${t.billing_mode}, key ${t.hash_key}/${t.range_key}, TTL ${t.ttl.attribute_name} ${t.ttl.enabled ? "on" : "off"}, ` +
        `point-in-time recovery ${t.point_in_time_recovery.enabled ? "on" : "off"}, encryption ${t.server_side_encryption.enabled ? "on" : "off"}, ` +
        `deletion protection ${show(t.deletion_protection_enabled)}`,
    );
  }
  for (const [id, k] of all("aws_kms_key")) {
    lines.push(`- ${label("aws_kms_key", id)}: ${k.customer_master_key_spec} ${k.key_usage}, deletion window ${k.deletion_window_in_days} days`);
    const policy = policies[referencedId("aws_iam_policy_document", k.policy)];
    for (const st of policy.statement) {
      lines.push(`    key policy ${st.sid}: ${st.actions.length} actions (${st.actions.join(", ")}) for the account's IAM principals${conditionOf(st)}`);
    }
  }

  lines.push("", "## Domain, issuer, refresh cookie and state", ...deploymentFacts(valueOf, stack.terraform?.backend));

  lines.push("", "## Variables");
  for (const [name, v] of Object.entries(variables).sort()) {
    const source = name in tfvars ? "tfvars" : "default";
    lines.push(`- ${name} = ${JSON.stringify(valueOf(name))} (${source}) - ${v.description}`);
  }
  lines.push("", "## Outputs", ...Object.keys(stack.output ?? {}).map((name) => `- ${name}`));
  return lines.join("\n");
}

/** Synthesizes into a temp folder and reviews one environment. */
/** What a reviewer asks first about a deployment: where it answers, what it signs as, the cookie browsers get, where state lives. */
function deploymentFacts(valueOf: (name: string) => unknown, backend: Block | undefined): string[] {
  const domain = String(valueOf("custom_domain") ?? "");
  const zone = String(valueOf("hosted_zone_id") ?? "");
  const issuer = String(valueOf("issuer") ?? "");
  const cookieDomain = String(valueOf("refresh_cookie_domain") ?? "");
  const cookie = [
    "HttpOnly",
    ...(valueOf("refresh_cookie_secure") === false ? [] : ["Secure"]),
    `SameSite=${String(valueOf("refresh_cookie_same_site"))}`,
    `Path=${String(valueOf("refresh_cookie_path"))}`,
    cookieDomain ? `Domain=${cookieDomain}` : "host-only",
  ].join("; ");
  const state = backend?.s3
    ? `S3 s3://${backend.s3.bucket}/${backend.s3.key} in ${backend.s3.region}, encrypted${backend.s3.use_lockfile ? ", locked by S3 lockfile" : backend.s3.dynamodb_table ? `, locked by DynamoDB ${backend.s3.dynamodb_table}` : ""}`
    : `local file ${backend?.local?.path ?? "(none)"}: on this machine only (CI refuses it)`;
  return [
    `- domain: ${domain ? `${domain} (ACM certificate, API Gateway domain name; DNS ${zone ? `in Route 53 zone ${zone}` : "published by hand"})` : "none: the execute-api URL only"}`,
    `- issuer: ${issuer || (domain ? `https://${domain}` : "the API's execute-api URL")}`,
    `- refresh cookie: ${cookie}`,
    `- state: ${state}`,
  ];
}

export async function reviewEnvironment(environment: string): Promise<string> {
  if (!(ENVIRONMENTS as readonly string[]).includes(environment)) {
    throw new Error(`unknown environment "${environment}": use one of ${ENVIRONMENTS.join(", ")}`);
  }
  const root = mkdtempSync(join(tmpdir(), "auth-review-"));
  try {
    process.env.CHECKPOINT_DISABLE = "1";
    // A synth to read, never to deploy: local state is fine.
    const app = await buildApp({ outdir: join(root, "out"), bundleDir: join(root, "bundles"), requireRemoteState: false });
    app.synth();
    const stack = JSON.parse(readFileSync(join(root, "out", "stacks", `auth-${environment}`, "cdk.tf.json"), "utf8"));
    const tfvars = JSON.parse(readFileSync(join(ROOT, "environments", `${environment}.tfvars.json`), "utf8"));
    return renderReview(environment, stack, tfvars);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const environment = process.argv[2];
  if (!environment) {
    console.error(`usage: npm run review -- <${ENVIRONMENTS.join("|")}>`);
    process.exit(2);
  }
  try {
    console.log(await reviewEnvironment(environment));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
