import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../bundle/bundler.js";
import { ENVIRONMENTS } from "../stacks/app.js";

const read = (name: string) => readFileSync(join(ROOT, ".github", "workflows", name), "utf8");

describe("pull-request and deploy workflows", () => {
  it("plan.yml tests, synthesizes and plans every environment with its tfvars on pull requests", () => {
    const plan = read("plan.yml");
    expect(plan).to.match(/on:\s+pull_request:/);
    expect(plan).to.include(`env: [${ENVIRONMENTS.join(", ")}]`);
    for (const step of ["npm ci", "npm test", "npm run synth", "terraform init -input=false", "terraform plan -input=false"]) expect(plan).to.include(step);
    expect(plan).to.include('-var-file="$GITHUB_WORKSPACE/environments/${{ matrix.env }}.tfvars.json"');
    expect(plan).to.include("working-directory: cdktf.out/stacks/auth-${{ matrix.env }}");
    expect(plan).to.include("actions/upload-artifact");
    expect(plan).to.include("github.rest.issues.createComment");
    // validate before plan, in the same step.
    expect(plan.indexOf("terraform validate -no-color")).to.be.greaterThan(plan.indexOf("terraform init -input")).and.lessThan(plan.indexOf("terraform plan -input"));
    // Jobs run in GitHub environments named as the header says.
    expect(plan).to.include("environment: ${{ matrix.env }}-plan");
    expect(plan).to.include("dev-plan, staging-plan and prod-plan");
  });

  it("plan.yml skips the plan for forks' pull requests (no OIDC token) with a notice, and still tests them", () => {
    const plan = read("plan.yml");
    /** One job's block: from its key to the next job's. */
    const jobs = (name: string) => plan.slice(plan.indexOf(`\n  ${name}:\n`) + 1).split(/\n  [a-z-]+:\n/)[0];
    expect(jobs("plan")).to.include("if: github.event.pull_request.head.repo.full_name == github.repository");
    expect(jobs("fork-notice")).to.include("if: github.event.pull_request.head.repo.full_name != github.repository");
    expect(jobs("fork-notice")).to.include("::notice::terraform plan skipped");
    expect(jobs("test")).to.include("run: npm test").and.not.include("if:");
  });

  it("deploy.yml waits a bounded time for the new stage before the smoke test", () => {
    const deploy = read("deploy.yml");
    expect(deploy).to.match(/for attempt in \$\(seq 1 30\); do/);
    expect(deploy).to.include("--max-time 10");
    expect(deploy.indexOf("seq 1 30")).to.be.lessThan(deploy.indexOf('bash scripts/smoke.sh "$API_URL"'));
  });

  it("deploy.yml deploys dev from main and staging/prod by hand behind their environments, then smoke-tests", () => {
    const deploy = read("deploy.yml");
    expect(deploy).to.match(/push:\s+branches: \[main\]/);
    expect(deploy).to.include("workflow_dispatch:");
    expect(deploy).to.include("environment: ${{ github.event_name == 'push' && 'dev' || inputs.environment }}");
    expect(deploy).to.include('npx cdktf deploy "auth-$ENV_NAME" --auto-approve --var-file="environments/$ENV_NAME.tfvars.json"');
    expect(deploy).to.include('bash scripts/smoke.sh "$API_URL"');
  });

  it("both check the backend files before anything else and make the synth refuse local state", () => {
    for (const [name, steps] of [["deploy.yml", read("deploy.yml")], ["plan.yml", read("plan.yml")]] as const) {
      const job = name === "plan.yml" ? steps.slice(steps.indexOf("\n  plan:")) : steps;
      expect(job, name).to.include('REQUIRE_REMOTE_STATE: "true"');
      const names = [...job.matchAll(/^ {6}- (?:name: (.+)|uses: (\S+)|run: (.+))$/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
      expect(names.slice(0, 2), name).to.deep.equal(["actions/checkout@v4", "Remote state is configured"]);
      expect(job, name).to.match(/test -f "environments\/[^"]+\.backend\.json" \|\| \{ echo "::error .*; exit 1; \}/);
    }
  });
});
