import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { FunctionSpec } from "../handlers/functions.js";
import { TABLE } from "../handlers/lib/adapters/table-definition.js";
import { FunctionBundle } from "./function-bundle.js";

export interface AuthFunctionProps {
  spec: FunctionSpec;
  /** Prefix of every name, e.g. auth-dev. */
  prefix: string;
  bundleDir: string;
  memoryMb: number;
  logRetentionDays: number;
  environment: Record<string, string>;
  tableArn: string;
  keyArn: string;
  refreshKeyArn: string;
  /** The key that seals second-factor secrets. */
  secretsKeyArn: string;
  /** The SES identity and configuration set a sending function may use, and nothing else. */
  mailArns: { identity: string; configurationSet: string };
}

/** Lambda runtime: nodejs22.x on Graviton (arm64), matching the argon2 prebuild in the zip. */
export const RUNTIME = "nodejs22.x";
export const ARCHITECTURE = "arm64";

/**
 * One Lambda with its own log group and its own role, allowed exactly the actions its
 * manifest entry lists on exactly its resources: its log group, the table (only the items
 * under its key prefixes), the keys, the SES identity.
 */
export class AuthFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AuthFunctionProps) {
    super(scope, id);
    const { spec } = props;
    const name = `${props.prefix}-${spec.name}`;

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${name}`,
      retentionInDays: props.logRetentionDays,
    });

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "role", { name: functionRoleName(props.prefix, spec.name), assumeRolePolicy: trust.json });

    const statement: DataAwsIamPolicyDocumentStatement[] = [
      // The log group exists already (created above), so no logs:CreateLogGroup.
      { sid: "Logs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${this.logGroup.arn}:*`] },
    ];
    if (spec.tableActions.length) {
      statement.push({
        sid: "Table",
        effect: "Allow",
        actions: [...spec.tableActions],
        // A Query reads the sessions-by-owner index, which has an ARN of its own.
        resources: spec.tableActions.includes("dynamodb:Query") ? [props.tableArn, `${props.tableArn}/index/${TABLE.sessionsByOwner.name}`] : [props.tableArn],
        // Only items whose partition key starts with one of the function's prefixes.
        ...(spec.tableKeys.length
          ? { condition: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: spec.tableKeys.map((prefix) => `${prefix}*`) }] }
          : {}),
      });
    }
    if (spec.keyActions.length) statement.push({ sid: "SigningKey", effect: "Allow", actions: [...spec.keyActions], resources: [props.keyArn] });
    if (spec.refreshKeyActions.length) {
      statement.push({ sid: "RefreshTokenKey", effect: "Allow", actions: [...spec.refreshKeyActions], resources: [props.refreshKeyArn] });
    }
    if (spec.secretKeyActions.length) {
      statement.push({ sid: "SecretsKey", effect: "Allow", actions: [...spec.secretKeyActions], resources: [props.secretsKeyArn] });
    }
    if (spec.mailActions.length) {
      // SendEmail is authorised on the identity and, when one is named, the configuration set.
      statement.push({ sid: "SendEmail", effect: "Allow", actions: [...spec.mailActions], resources: [props.mailArns.identity, props.mailArns.configurationSet] });
    }
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", { statement });
    new IamRolePolicy(this, "policy", { name: `${name}-least-privilege`, role: this.role.id, policy: permissions.json });

    const bundle = new FunctionBundle(this, "bundle", { dir: props.bundleDir });
    this.fn = new LambdaFunction(this, "function", {
      functionName: name,
      role: this.role.arn,
      runtime: RUNTIME,
      architectures: [ARCHITECTURE],
      handler: "index.handler",
      filename: bundle.asset.path,
      sourceCodeHash: Fn.filebase64sha256(bundle.asset.path),
      memorySize: props.memoryMb,
      timeout: 10,
      environment: { variables: props.environment },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      dependsOn: [this.logGroup],
    });
  }
}

/** A function's role name; the bootstrap stack's deploy role may create and pass exactly these. */
export const functionRoleName = (prefix: string, fn: string): string => `${prefix}-${fn}-lambda`;
