/**
 * CDKTF app: one AuthStack per environment (auth-dev, auth-staging, auth-prod).
 *   npm run synth                      -> cdktf.out/stacks/auth-<env>/cdk.tf.json
 *   npm run cdktf -- deploy auth-dev --var-file=environments/dev.tfvars.json
 */
import { buildApp } from "./stacks/app.js";

const app = await buildApp();
app.synth();
