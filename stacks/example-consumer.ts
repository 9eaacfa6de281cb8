import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer/index.js";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { Construct } from "constructs";
import { IDENTITY_SOURCE } from "./http-api.js";

/** A route of the consuming API and the Lambda behind it. */
export interface ConsumerRoute {
  /** e.g. `GET /orders`. */
  routeKey: string;
  functionName: string;
  invokeArn: string;
}

export interface ExampleConsumerProps {
  name: string;
  /** The auth stack's `token_issuer` output: API Gateway reads `<issuer>/.well-known/openid-configuration`, then its `jwks_uri`. */
  issuer: string;
  /** Accepted `aud` values: the tenant(s) whose users may call this API. */
  audience: string[];
  routes: readonly ConsumerRoute[];
}

/**
 * An example of ANOTHER team's HTTP API trusting this service's tokens with no Lambda and no
 * code: API Gateway's built-in JWT authorizer checks the signature against the published JWKS,
 * and `iss`, `aud`, `exp` and `nbf`, before any route runs. It accepts RSA keys only, so the
 * auth environment must sign RS256 (`signing_algorithm`). Not deployed by the auth stack: a team
 * copies it, or imports it into its own stack (README: Protecting another API).
 */
export class ExampleConsumer extends Construct {
  readonly api: Apigatewayv2Api;
  readonly authorizer: Apigatewayv2Authorizer;

  constructor(scope: Construct, id: string, props: ExampleConsumerProps) {
    super(scope, id);
    this.api = new Apigatewayv2Api(this, "api", { name: props.name, protocolType: "HTTP" });
    new Apigatewayv2Stage(this, "stage", { apiId: this.api.id, name: "$default", autoDeploy: true });
    this.authorizer = new Apigatewayv2Authorizer(this, "authorizer", {
      apiId: this.api.id,
      name: `${props.name}-auth-jwt`,
      authorizerType: "JWT",
      // As for the REQUEST authorizer: the bearer token of the Authorization header (RFC 6750 §2.1).
      identitySources: [IDENTITY_SOURCE],
      jwtConfiguration: { issuer: props.issuer, audience: props.audience },
    });
    for (const route of props.routes) {
      const id = route.routeKey.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "").toLowerCase();
      const integration = new Apigatewayv2Integration(this, `${id}-integration`, {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationUri: route.invokeArn,
        payloadFormatVersion: "2.0",
      });
      new Apigatewayv2Route(this, `${id}-route`, {
        apiId: this.api.id,
        routeKey: route.routeKey,
        target: `integrations/${integration.id}`,
        authorizationType: "JWT",
        authorizerId: this.authorizer.id,
      });
      const [method, path] = route.routeKey.split(" ");
      new LambdaPermission(this, `${id}-invoke`, {
        functionName: route.functionName,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        sourceArn: `${this.api.executionArn}/*/${method}${path.replace(/\{[^/]+\}/g, "*")}`,
      });
    }
  }
}
