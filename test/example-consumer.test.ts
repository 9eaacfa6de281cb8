/**
 * The example consumer (stacks/example-consumer.ts): another HTTP API protected by API
 * Gateway's built-in JWT authorizer with this service's issuer and audience, synthesized here
 * the way a team would use it, reading the issuer from a variable set to the `token_issuer` output.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { expect } from "chai";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleConsumer } from "../stacks/example-consumer.js";
import { ref, removeSynth, synthAll, wrapStack, type SynthStack } from "./helpers/synth.js";

const ROUTES = ["GET /orders", "POST /orders", "GET /orders/{id}", "DELETE /orders/{id}"];

describe("example consumer: another HTTP API behind API Gateway's JWT authorizer", function () {
  this.timeout(180_000);
  let out: string;
  let s: SynthStack;

  before(() => {
    process.env.CHECKPOINT_DISABLE = "1";
    out = mkdtempSync(join(tmpdir(), "consumer-synth-"));
    const app = new App({ outdir: out });
    const stack = new TerraformStack(app, "orders");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const issuer = new TerraformVariable(stack, "auth_issuer", { type: "string", description: "token_issuer output of the auth stack" });
    const tenants = new TerraformVariable(stack, "auth_audience", { type: "list(string)", description: "tenants whose users may call" });
    new ExampleConsumer(stack, "orders-api", {
      name: "orders-dev",
      issuer: issuer.stringValue,
      audience: tenants.listValue,
      routes: ROUTES.map((routeKey, i) => ({ routeKey, functionName: `orders-fn-${i}`, invokeArn: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/orders-fn-${i}/invocations` })),
    });
    app.synth();
    s = wrapStack("orders", join(out, "stacks", "orders"));
  });
  after(async () => {
    rmSync(out, { recursive: true, force: true });
    await removeSynth();
  });

  const authorizer = () => s.at("aws_apigatewayv2_authorizer", "orders-api/authorizer");

  it("has one JWT authorizer on the Authorization header, with the auth stack's issuer and the tenants as audience", () => {
    expect(Object.keys(s.resources("aws_apigatewayv2_authorizer"))).to.have.length(1);
    const a = authorizer();
    expect(a).to.include({ authorizer_type: "JWT", api_id: ref("aws_apigatewayv2_api", s.at("aws_apigatewayv2_api", "orders-api/api").id, "id") });
    expect(a.identity_sources).to.deep.equal(["$request.header.Authorization"]);
    expect(a.jwt_configuration).to.deep.equal({ issuer: "${var.auth_issuer}", audience: "${var.auth_audience}" });
    // A JWT authorizer has no Lambda behind it, and no cache setting of its own.
    expect(a).not.to.have.property("authorizer_uri");
  });

  it("puts every route behind it, each integrated with its own function", () => {
    const routes = Object.values(s.resources("aws_apigatewayv2_route"));
    expect(routes.map((r) => r.route_key).sort()).to.deep.equal([...ROUTES].sort());
    const integrations = s.resources("aws_apigatewayv2_integration");
    for (const [i, routeKey] of ROUTES.entries()) {
      const route = routes.find((r) => r.route_key === routeKey)!;
      expect(route, routeKey).to.include({ authorization_type: "JWT", authorizer_id: ref("aws_apigatewayv2_authorizer", authorizer().id, "id") });
      const integration = integrations[/aws_apigatewayv2_integration\.([^.]+)\.id/.exec(route.target)![1]];
      expect(integration, routeKey).to.include({ integration_type: "AWS_PROXY", payload_format_version: "2.0" });
      expect(integration.integration_uri, routeKey).to.include(`orders-fn-${i}`);
    }
    const permissions = Object.values(s.resources("aws_lambda_permission")).map((p) => `${p.function_name} ${p.source_arn.replace(/^.*execution_arn\}/, "")}`);
    expect(permissions.sort()).to.deep.equal(["orders-fn-0 /*/GET/orders", "orders-fn-1 /*/POST/orders", "orders-fn-2 /*/GET/orders/*", "orders-fn-3 /*/DELETE/orders/*"]);
  });

  it("is not deployed by the auth stacks, whose only authorizer is the REQUEST Lambda", async () => {
    const { stacks } = await synthAll();
    for (const stack of Object.values(stacks)) {
      expect(Object.values(stack.resources("aws_apigatewayv2_authorizer")).map((a) => a.authorizer_type), stack.name).to.deep.equal(["REQUEST"]);
    }
  });
});
