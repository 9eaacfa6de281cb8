/**
 * The signing keys for both algorithms, on the synthesized Terraform JSON: one KMS key per
 * algorithm (ES256: ECC_NIST_P256 / ECDSA_SHA_256, RS256: RSA_2048 /
 * RSASSA_PKCS1_V1_5_SHA_256), each existing while `signing_key_algorithms` lists it; the
 * `signing_algorithm` one alone may be used with kms:Sign; every existing key verifies. The
 * Terraform conditions are evaluated for each choice, and the expected values are written out.
 */
import { expect } from "chai";
import { functions } from "../handlers/functions.js";
import { ENVIRONMENTS } from "../stacks/app.js";
import { removeSynth, synthAll, type SynthStack } from "./helpers/synth.js";
import { evaluateCondition } from "./helpers/terraform-expression.js";

const EXPECTED = {
  ES256: { construct: "signing", alias: "signing", keySpec: "ECC_NIST_P256", signingAlgorithm: "ECDSA_SHA_256" },
  RS256: { construct: "signing-rs256", alias: "signing-rs256", keySpec: "RSA_2048", signingAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256" },
} as const;
type Alg = keyof typeof EXPECTED;

/**
 * The Terraform address the ES256 key had before RS256 existed (a path-derived logical id):
 * while it stays, an existing environment keeps its key (adding `count` moves it to [0]).
 */
const ES256_KEY_ADDRESS = "signing_key_1145AF04";

/** Each valid choice: the algorithm that signs and the keys that exist. */
const CHOICES: Array<{ signing: Alg; keys: Alg[] }> = [
  { signing: "ES256", keys: ["ES256"] },
  { signing: "RS256", keys: ["RS256"] },
  { signing: "ES256", keys: ["ES256", "RS256"] },
  { signing: "RS256", keys: ["ES256", "RS256"] },
];

/** `${COND ? 1 : 0}` evaluated: does the block exist under these variables? */
const counted = (count: string, vars: Record<string, unknown>) => {
  const match = /^\$\{(.+) \? 1 : 0\}$/.exec(count);
  expect(match, count).not.to.equal(null);
  return evaluateCondition(match![1], vars) ? 1 : 0;
};

/** `${var.signing_algorithm == "ES256" ? A : B}`: the branch a choice selects. */
const selected = (expression: string, signing: Alg): string => {
  const match = /^\$\{var\.signing_algorithm == "ES256" \? (\S+) : (\S+)\}$/.exec(expression);
  expect(match, expression).not.to.equal(null);
  return signing === "ES256" ? match![1] : match![2];
};

describe("signing keys for ES256 and RS256 (synthesized Terraform)", function () {
  this.timeout(180_000);
  let stacks: Record<string, SynthStack>;
  before(async () => {
    stacks = (await synthAll()).stacks;
  });
  after(removeSynth);

  for (const env of ENVIRONMENTS) {
    describe(`auth-${env}`, () => {
      const s = () => stacks[env];
      const key = (alg: Alg) => s().at("aws_kms_key", `${EXPECTED[alg].construct}/key`);
      const arnOf = (alg: Alg) => `aws_kms_key.${key(alg).id}[0].arn`;
      const publicKeyOf = (alg: Alg) => `data.aws_kms_public_key.${s().at("aws_kms_public_key", `${EXPECTED[alg].construct}/public-key`, "data").id}[0].public_key`;

      it("declares signing_algorithm (default ES256) and signing_key_algorithms (default [ES256]), the first listed in the second", () => {
        const declared = s().json.variable as Record<string, any>;
        expect(declared.signing_algorithm).to.include({ type: "string", default: "ES256" });
        expect(declared.signing_key_algorithms).to.deep.include({ type: "list(string)", default: ["ES256"] });
        const condition = declared.signing_algorithm.validation[0].condition;
        expect(evaluateCondition(condition, { signing_algorithm: "RS256", signing_key_algorithms: ["ES256"] }), "switching before the key exists").to.equal(false);
        expect(evaluateCondition(condition, { signing_algorithm: "ES256", signing_key_algorithms: ["RS256"] })).to.equal(false);
        for (const choice of CHOICES) {
          expect(evaluateCondition(condition, { signing_algorithm: choice.signing, signing_key_algorithms: choice.keys }), JSON.stringify(choice)).to.equal(true);
        }
      });

      it("keeps the ES256 key at the address and alias it had before RS256 existed", () => {
        expect(key("ES256").id).to.equal(ES256_KEY_ADDRESS);
        expect(s().at("aws_kms_alias", "signing/alias").name).to.equal(`alias/auth-${env}-signing`);
      });

      for (const alg of ["ES256", "RS256"] as const) {
        it(`${alg}: a ${EXPECTED[alg].keySpec} SIGN_VERIFY key, its alias and public key, all present exactly when signing_key_algorithms lists ${alg}`, () => {
          const k = key(alg);
          expect(k).to.include({ customer_master_key_spec: EXPECTED[alg].keySpec, key_usage: "SIGN_VERIFY", deletion_window_in_days: 30 });
          const alias = s().at("aws_kms_alias", `${EXPECTED[alg].construct}/alias`);
          expect(alias).to.include({ name: `alias/auth-${env}-${EXPECTED[alg].alias}`, target_key_id: `\${aws_kms_key.${k.id}[0].key_id}` });
          const publicKey = s().at("aws_kms_public_key", `${EXPECTED[alg].construct}/public-key`, "data");
          expect(publicKey.key_id).to.equal(`\${aws_kms_key.${k.id}[0].arn}`);
          for (const choice of CHOICES) {
            const vars = { signing_algorithm: choice.signing, signing_key_algorithms: choice.keys };
            const expected = choice.keys.includes(alg) ? 1 : 0;
            for (const block of [k, alias, publicKey]) expect(counted(block.count, vars), `${JSON.stringify(choice)}`).to.equal(expected);
          }
        });

        it(`${alg}: its key policy allows kms:Sign with ${EXPECTED[alg].signingAlgorithm} only`, () => {
          const policy = s().at("aws_iam_policy_document", `${EXPECTED[alg].construct}/policy`, "data");
          expect(key(alg).policy).to.equal(`\${data.aws_iam_policy_document.${policy.id}.json}`);
          const signing = policy.statement.filter((st: any) => st.actions.includes("kms:Sign"));
          expect(signing).to.have.length(1);
          expect(signing[0].actions).to.deep.equal(["kms:Sign"]);
          expect(signing[0].condition).to.deep.equal([{ test: "StringEquals", variable: "kms:SigningAlgorithm", values: [EXPECTED[alg].signingAlgorithm] }]);
          expect(policy.statement.flatMap((st: any) => st.actions).filter((a: string) => a.includes("*"))).to.deep.equal([]);
        });
      }

      it("grants kms:Sign on the active key only, and only to the functions that sign", () => {
        const signers = functions.filter((f) => f.keyActions.includes("kms:Sign")).map((f) => f.name);
        expect(signers.sort()).to.deep.equal(["login", "mfa-verify", "oauth-token", "refresh"]);
        for (const spec of functions) {
          const statements = s().at("aws_iam_policy_document", `${spec.name}/permissions`, "data").statement as any[];
          const signing = statements.filter((st) => st.actions.some((a: string) => a.startsWith("kms:Sign")));
          if (!signers.includes(spec.name)) {
            expect(signing, spec.name).to.deep.equal([]);
            continue;
          }
          expect(signing, spec.name).to.have.length(1);
          expect(signing[0].actions).to.deep.equal(["kms:Sign"]);
          expect(signing[0].resources, spec.name).to.have.length(1);
          for (const choice of CHOICES) {
            expect(selected(signing[0].resources[0], choice.signing), `${spec.name} ${JSON.stringify(choice)}`).to.equal(arnOf(choice.signing));
          }
        }
      });

      it("gives the signing functions the active key's ARN and public key", () => {
        for (const name of ["login", "mfa-verify", "oauth-token", "refresh"]) {
          const vars = s().at("aws_lambda_function", `${name}/function`).environment.variables;
          for (const choice of CHOICES) {
            expect(selected(vars.SIGNING_KEY_ID, choice.signing), name).to.equal(arnOf(choice.signing));
            expect(selected(vars.SIGNING_PUBLIC_KEY, choice.signing), name).to.equal(publicKeyOf(choice.signing));
          }
        }
        expect(selected(s().json.output.key_arn.value, "RS256")).to.equal(arnOf("RS256"));
      });

      it("JWT_PUBLIC_KEYS holds every existing key's public key, so the active one and the one being retired, then previous_public_keys", () => {
        for (const name of ["authorizer", "jwks"]) {
          const value = s().at("aws_lambda_function", `${name}/function`).environment.variables.JWT_PUBLIC_KEYS as string;
          const match = /^\$\{join\(",", concat\(concat\((\S+), (\S+)\), var\.previous_public_keys\)\)\}$/.exec(value);
          expect(match, value).not.to.equal(null);
          const lists = { ES256: match![1], RS256: match![2] };
          for (const alg of ["ES256", "RS256"] as const) expect(lists[alg]).to.equal(publicKeyOf(alg).replace("[0]", "[*]"));
          for (const choice of CHOICES) {
            const vars = { signing_algorithm: choice.signing, signing_key_algorithms: choice.keys };
            const present = (["ES256", "RS256"] as const).filter((alg) => counted(s().at("aws_kms_public_key", `${EXPECTED[alg].construct}/public-key`, "data").count, vars) === 1);
            expect(present, JSON.stringify(choice)).to.include(choice.signing);
            expect(present, JSON.stringify(choice)).to.deep.equal(choice.keys.slice().sort());
          }
        }
      });
    });
  }
});
