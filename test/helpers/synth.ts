import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, ENVIRONMENTS } from "../../stacks/app.js";

export type Block = Record<string, any>;

/** One synthesized stack: its Terraform JSON and helpers to find things in it. */
export interface SynthStack {
  name: string;
  dir: string;
  json: Block;
  /** All blocks of a resource type, by logical id. */
  resources(type: string): Record<string, Block>;
  data(type: string): Record<string, Block>;
  /** The single block of `type` whose construct path ends with `suffix`, e.g. "login/function". */
  at(type: string, suffix: string, kind?: "resource" | "data"): Block & { id: string };
}

/** Reads a stack synthesized into `dir` (cdk.tf.json), e.g. a variant a test builds itself. */
export function wrapStack(name: string, dir: string): SynthStack {
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Block;
  const resources = (type: string) => (json.resource?.[type] ?? {}) as Record<string, Block>;
  const data = (type: string) => (json.data?.[type] ?? {}) as Record<string, Block>;
  return {
    name,
    dir,
    json,
    resources,
    data,
    at(type, suffix, kind = "resource") {
      const blocks = kind === "resource" ? resources(type) : data(type);
      const found = Object.entries(blocks).filter(([, b]) => b["//"].metadata.path === `${name}/${suffix}`);
      if (found.length !== 1) throw new Error(`${name}: expected one ${type} at ${suffix}, found ${found.length}`);
      return { id: found[0][0], ...found[0][1] };
    },
  };
}

let synthesized: Promise<{ root: string; stacks: Record<string, SynthStack> }> | undefined;

/**
 * Synthesizes the real app (esbuild bundles for Lambda, every stack) once per test run
 * into a temp folder, as `npm run synth` does into cdktf.out.
 */
export function synthAll(): Promise<{ root: string; stacks: Record<string, SynthStack> }> {
  synthesized ??= (async () => {
    process.env.CHECKPOINT_DISABLE = "1";
    const root = mkdtempSync(join(tmpdir(), "auth-synth-"));
    // The tests read the JSON, never deploy it: local state is fine even inside GitHub Actions.
    const app = await buildApp({ outdir: join(root, "cdktf.out"), bundleDir: join(root, "bundles"), requireRemoteState: false });
    app.synth();
    const stacks = Object.fromEntries(
      ENVIRONMENTS.map((env) => [env, wrapStack(`auth-${env}`, join(root, "cdktf.out", "stacks", `auth-${env}`))]),
    );
    return { root, stacks };
  })();
  return synthesized;
}

export async function removeSynth(): Promise<void> {
  if (!synthesized) return;
  const { root } = await synthesized;
  rmSync(root, { recursive: true, force: true });
  synthesized = undefined;
}

/** `${aws_x.id.attr}` for a resource block. */
export const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;
export const dataRef = (type: string, id: string, attribute: string) => `\${data.${type}.${id}.${attribute}}`;
