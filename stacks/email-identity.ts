import { Sesv2ConfigurationSet } from "@cdktf/provider-aws/lib/sesv2-configuration-set/index.js";
import { Sesv2EmailIdentity } from "@cdktf/provider-aws/lib/sesv2-email-identity/index.js";
import { Construct } from "constructs";

export interface EmailIdentityProps {
  /** Prefix of every name, e.g. auth-dev: the configuration set's name. */
  name: string;
  /** A domain (DKIM records to publish) or a single address (SES mails it a confirmation link). */
  identity: string;
}

/**
 * The SES identity mail is sent from, and the configuration set every send is tracked
 * under. Functions that send may use exactly these two (auth-function.ts).
 */
export class EmailIdentity extends Construct {
  readonly identity: Sesv2EmailIdentity;
  readonly configurationSet: Sesv2ConfigurationSet;

  constructor(scope: Construct, id: string, props: EmailIdentityProps) {
    super(scope, id);
    this.configurationSet = new Sesv2ConfigurationSet(this, "configuration-set", {
      configurationSetName: props.name,
      // Messages carry single-use tokens: never hand them to a receiving server in clear text.
      deliveryOptions: { tlsPolicy: "REQUIRE" },
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
      // Bounces and complaints stop further sends to that address (protects the sender's reputation).
      suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
    });
    this.identity = new Sesv2EmailIdentity(this, "identity", {
      emailIdentity: props.identity,
      configurationSetName: this.configurationSet.configurationSetName,
    });
  }

  /** The three DKIM tokens of a domain identity: publish `<token>._domainkey.<domain>` CNAME `<token>.dkim.amazonses.com`. */
  get dkimTokens(): string[] {
    return this.identity.dkimSigningAttributes.tokens;
  }
}
