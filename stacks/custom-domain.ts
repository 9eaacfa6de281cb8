import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate/index.js";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation/index.js";
import { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping/index.js";
import { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name/index.js";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record/index.js";
import { TerraformLocal, type TerraformResource, type TerraformVariable } from "cdktf";
import { Construct } from "constructs";

export interface CustomDomainProps {
  /** `var.custom_domain`: empty for none. */
  domain: TerraformVariable;
  /** `var.hosted_zone_id`: empty when DNS is managed elsewhere. */
  hostedZoneId: TerraformVariable;
  apiId: string;
  stageId: string;
}

/**
 * The API on an environment's own domain (auth.example.com), when `custom_domain` is set. That
 * is what lets a browser app on app.example.com keep its SameSite=Strict refresh cookie: the
 * `execute-api` host is a public suffix, a site of its own. A TerraformVariable cannot decide at
 * synth time whether resources exist, so each is counted (0 or 1) by the variables instead.
 *
 * An ACM certificate validated by DNS, the API Gateway domain name (regional, TLS 1.2) and the
 * mapping to the `$default` stage; with `hosted_zone_id` also the validation record and an alias
 * record in Route 53. Without a zone the operator publishes both records by hand (outputs
 * `certificate_validation` and `custom_domain_target`) and applies again.
 *
 * The expressions are written as Terraform text: cdktf's Fn and Op helpers render an empty
 * string as `undefined` and cannot index a counted resource.
 */
export class CustomDomain extends Construct {
  /** `https://<custom_domain>`, or empty when there is none (the issuer then falls back to the API's URL). */
  readonly issuer: string;
  /** Where the custom domain's DNS must point (API Gateway's regional target); null when there is none. */
  readonly target: string;
  /** The record that proves the certificate ("name type value"), for DNS managed outside Route 53; null when none. */
  readonly validationRecord: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const domain = props.domain.fqn;
    const zone = props.hostedZoneId.fqn;
    const enabled = `${domain} != ""`;
    const withZone = `${domain} != "" && ${zone} != ""`;
    const countIf = (resource: TerraformResource, condition: string) => resource.addOverride("count", `\${${condition} ? 1 : 0}`);
    /** `<resource>[0].<path>`: a counted resource is a list. */
    const first = (resource: TerraformResource, path: string) => `${resource.fqn}[0].${path}`;
    /** The attribute of a counted resource, or null when it was not created. */
    const ifCreated = (resource: TerraformResource, path: string) => `one(${resource.fqn}[*].${path})`;

    const certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domain.stringValue,
      validationMethod: "DNS",
      // A renewal or a new domain gets its certificate before the old one goes.
      lifecycle: { createBeforeDestroy: true },
    });
    countIf(certificate, enabled);
    const proof = `tolist(${first(certificate, "domain_validation_options")})[0]`;
    const validationRecord = new Route53Record(this, "validation-record", {
      zoneId: props.hostedZoneId.stringValue,
      name: `\${${proof}.resource_record_name}`,
      type: `\${${proof}.resource_record_type}`,
      records: [`\${${proof}.resource_record_value}`],
      ttl: 300,
      allowOverwrite: true,
    });
    countIf(validationRecord, withZone);
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: `\${${first(certificate, "arn")}}`,
      validationRecordFqdns: [`\${${first(validationRecord, "fqdn")}}`],
    });
    countIf(validation, withZone);

    const domainName = new Apigatewayv2DomainName(this, "domain-name", {
      domainName: props.domain.stringValue,
      domainNameConfiguration: {
        // With a zone, wait until the certificate is issued; without, the operator validates it before applying again.
        certificateArn: `\${coalesce(${ifCreated(validation, "certificate_arn")}, ${first(certificate, "arn")})}`,
        endpointType: "REGIONAL",
        securityPolicy: "TLS_1_2",
      },
    });
    countIf(domainName, enabled);
    const mapping = new Apigatewayv2ApiMapping(this, "mapping", {
      apiId: props.apiId,
      domainName: `\${${first(domainName, "id")}}`,
      stage: props.stageId,
    });
    countIf(mapping, enabled);
    const alias = new Route53Record(this, "alias-record", {
      zoneId: props.hostedZoneId.stringValue,
      name: props.domain.stringValue,
      type: "A",
      alias: {
        name: `\${${first(domainName, "domain_name_configuration[0].target_domain_name")}}`,
        zoneId: `\${${first(domainName, "domain_name_configuration[0].hosted_zone_id")}}`,
        evaluateTargetHealth: false,
      },
    });
    countIf(alias, withZone);

    this.issuer = new TerraformLocal(this, "issuer", `\${${enabled} ? "https://\${${domain}}" : ""}`).asString;
    this.target = `\${${ifCreated(domainName, "domain_name_configuration[0].target_domain_name")}}`;
    this.validationRecord = `\${${enabled} ? "\${${proof}.resource_record_name} \${${proof}.resource_record_type} \${${proof}.resource_record_value}" : null}`;
  }
}
