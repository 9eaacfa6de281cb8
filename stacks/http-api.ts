import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer/index.js";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import { Apigatewayv2Stage, type Apigatewayv2StageRouteSettings } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { CORS, type Route } from "../handlers/routes.js";

export interface HttpApiProps {
  name: string;
  corsAllowedOrigins: string[];
  throttlingRateLimit: number;
  throttlingBurstLimit: number;
  /** Per-route limits of the routes marked `throttle: "credentials"` in the route table. */
  credentialRateLimit: number;
  credentialBurstLimit: number;
  logRetentionDays: number;
}

/** One JSON line per request in the access log; no headers, so no tokens. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
});

/** API Gateway's identity source: an absent header is refused with 401 before the authorizer runs. */
export const IDENTITY_SOURCE = "$request.header.Authorization";

/** The HTTP API, its `$default` auto-deploy stage with throttling and JSON access logs. */
export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  private authorizer?: Apigatewayv2Authorizer;
  private readonly routeSettings: Apigatewayv2StageRouteSettings[] = [];
  private readonly credentialLimits: { throttlingRateLimit: number; throttlingBurstLimit: number };

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.credentialLimits = { throttlingRateLimit: props.credentialRateLimit, throttlingBurstLimit: props.credentialBurstLimit };
    this.api = new Apigatewayv2Api(this, "api", {
      name: props.name,
      protocolType: "HTTP",
      corsConfiguration: {
        allowOrigins: props.corsAllowedOrigins,
        allowMethods: [...CORS.allowMethods],
        allowHeaders: [...CORS.allowHeaders],
        // Browsers send the refresh cookie only with credentials; a wildcard origin cannot allow them.
        allowCredentials: Fn.conditional(Fn.contains(props.corsAllowedOrigins, "*"), false, true) as unknown as boolean,
        maxAge: CORS.maxAgeSeconds,
      },
    });
    const accessLogs = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.name}`,
      retentionInDays: props.logRetentionDays,
    });
    this.stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
      },
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
    });
  }

  /** The REQUEST authorizer: payload 2.0, simple responses, cached per Authorization header. */
  useAuthorizer(fn: LambdaFunction, resultTtlSeconds: number): void {
    this.authorizer = new Apigatewayv2Authorizer(this, "authorizer", {
      apiId: this.api.id,
      name: fn.functionName,
      authorizerType: "REQUEST",
      authorizerUri: fn.invokeArn,
      authorizerPayloadFormatVersion: "2.0",
      enableSimpleResponses: true,
      identitySources: [IDENTITY_SOURCE],
      authorizerResultTtlInSeconds: resultTtlSeconds,
    });
    this.allowInvoke("authorizer-invoke", fn, `${this.api.executionArn}/authorizers/${this.authorizer.id}`);
  }

  /** A route from the route table, integrated with its function (payload 2.0). */
  addRoute(route: Route, fn: LambdaFunction): void {
    const id = `${route.method}-${route.path}`.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "").toLowerCase();
    const authorized = route.auth !== "none";
    if (authorized && !this.authorizer) throw new Error(`route ${route.path} needs the authorizer: call useAuthorizer first`);
    const integration = new Apigatewayv2Integration(this, `${id}-integration`, {
      apiId: this.api.id,
      integrationType: "AWS_PROXY",
      integrationUri: fn.invokeArn,
      payloadFormatVersion: "2.0",
      // API Gateway sees bearer and strict alike; say which, for the console and the review.
      description: `${route.method} ${route.path}: ${route.auth}`,
    });
    const deployed = new Apigatewayv2Route(this, `${id}-route`, {
      apiId: this.api.id,
      routeKey: `${route.method} ${route.path}`,
      target: `integrations/${integration.id}`,
      ...(authorized
        ? { authorizationType: "CUSTOM", authorizerId: this.authorizer!.id }
        : { authorizationType: "NONE" }),
    });
    if (route.throttle === "credentials") {
      // Referring to the route's key (not repeating the string) makes the stage depend on
      // the route: a setting for a route not yet created fails with "Unable to find Route by key".
      this.routeSettings.push({ routeKey: deployed.routeKey, ...this.credentialLimits });
      this.stage.putRouteSettings([...this.routeSettings]);
    }
    // Only this route of this API may invoke the function; a path parameter is any one segment.
    this.allowInvoke(`${id}-invoke`, fn, `${this.api.executionArn}/*/${route.method}${route.path.replace(/\{[^/]+\}/g, "*")}`);
  }

  /** Lets this API invoke `fn`, from `sourceArn` only. */
  private allowInvoke(id: string, fn: LambdaFunction, sourceArn: string): void {
    new LambdaPermission(this, id, { functionName: fn.functionName, action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", sourceArn });
  }
}
