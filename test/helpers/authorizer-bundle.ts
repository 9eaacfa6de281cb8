import { createRequire } from "node:module";
import { join } from "node:path";
import type { AuthorizerEvent, AuthorizerResult } from "../../handlers/authorizer.js";
import { setEnv } from "./bundled-handlers.js";
import { bundles } from "./bundles.js";

export type AuthorizerHandler = (event: AuthorizerEvent) => Promise<AuthorizerResult>;

/**
 * The real authorizer bundle (Lambda target), loaded as a cold start would with `env` set;
 * `restore` puts the previous environment back.
 */
export async function loadAuthorizerBundle(env: Record<string, string>): Promise<{ handler: AuthorizerHandler; restore: () => void }> {
  const authorizer = (await bundles("lambda")).find((b) => b.name === "authorizer")!;
  const restore = setEnv(env);
  const { handler } = createRequire(import.meta.url)(join(authorizer.dir, "index.js")) as { handler: AuthorizerHandler };
  return { handler, restore };
}
