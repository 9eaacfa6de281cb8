/**
 * The README against the code: every variable in its configuration tables is read by exactly
 * the functions it names (searched for in the real bundles), every variable the functions
 * read is in the table, every route of handlers/routes.ts is in the API tables, and no
 * source comment cites a file the repository does not have.
 */
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { ROOT } from "../bundle/bundler.js";
import { functions } from "../handlers/functions.js";
import { routes } from "../handlers/routes.js";
import { bundles } from "./helpers/bundles.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const ALL = functions.map((fn) => fn.name as string);
/** What the local runtime's "used by" says. */
const NPM_START = "npm start";

/** The lines of the README section that starts with `heading`, up to the next section of that level or higher. */
function section(heading: string): string[] {
  const lines = README.split("\n");
  const start = lines.findIndex((line) => line.startsWith(heading));
  expect(start, `README section ${heading}`).to.be.greaterThan(-1);
  const level = /^#+/.exec(heading)![0].length;
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && /^#+/.exec(line)![0].length <= level);
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** Rows `| \`NAME\` | used by | default | meaning |` of the configuration section's tables. */
function configurationRows(): Array<{ name: string; usedBy: string }> {
  return section("## Configuration")
    .map((line) => /^\| `([A-Z][A-Z0-9_]*)` \| ([^|]+) \|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1], usedBy: match[2].trim() }));
}

/** The README's footnoted groups, defined by the function manifest's flags. */
const GROUPS: Record<string, string[]> = {
  "abuse-limited functions¹": functions.filter((fn) => fn.abuseLimits).map((fn) => fn.name),
  "functions that send mail²": functions.filter((fn) => fn.mailActions.length > 0).map((fn) => fn.name),
};

/**
 * "all", "all but a, b", or a list of function names and groups ("a, b, functions that send
 * mail²"), as a sorted list of function names; "npm start" as itself.
 */
function parseUsedBy(usedBy: string): string[] {
  if (usedBy === NPM_START) return [NPM_START];
  const names = (text: string) =>
    text.split(",").flatMap((item) => {
      const name = item.trim();
      if (GROUPS[name]) return GROUPS[name];
      expect(ALL, `"${usedBy}" names a function`).to.include(name);
      return [name];
    });
  const but = /^all but (.+)$/.exec(usedBy);
  const listed = usedBy === "all" ? ALL : but ? ALL.filter((name) => !names(but[1]).includes(name)) : names(usedBy);
  return [...new Set(listed)].sort();
}

/** The variable as a whole word: `SIGNING_KEY_ID` is not found inside `LOCAL_SIGNING_KEY_ID`. */
const mentions = (text: string, name: string) => new RegExp(`(?<![A-Z0-9_])${name}(?![A-Z0-9_])`).test(text);

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("README matches the code", function () {
  this.timeout(120_000);

  describe("configuration tables", () => {
    let bundleText: Record<string, string>;
    before(async () => {
      bundleText = Object.fromEntries((await bundles("host")).map((b) => [b.name, readFileSync(join(b.dir, "index.js"), "utf8")]));
    });

    it("the tables are there and name each variable once", () => {
      const names = configurationRows().map((row) => row.name);
      expect(names.length).to.be.greaterThan(20);
      expect(new Set(names).size, "no variable twice").to.equal(names.length);
    });

    it("each variable is read by exactly the functions its row names (searched for in their bundles)", () => {
      const wrong: string[] = [];
      for (const { name, usedBy } of configurationRows()) {
        const documented = parseUsedBy(usedBy);
        if (documented[0] === NPM_START) continue;
        const actual = ALL.filter((fn) => mentions(bundleText[fn], name)).sort();
        if (documented.join() !== actual.join()) wrong.push(`${name}: README says ${documented.join(", ")}; read by ${actual.join(", ") || "none"}`);
      }
      expect(wrong, wrong.join("\n")).to.deep.equal([]);
    });

    it("each `npm start` variable is read by the local runtime", () => {
      const local = sources("local").map(read).join("\n");
      const rows = configurationRows().filter((row) => row.usedBy === NPM_START);
      expect(rows.map((row) => row.name)).to.include.members(["PORT", "LOCAL_DATA_DIR", "AUTHORIZER_CACHE_TTL_SECONDS", "AWS_ENDPOINT_URL"]);
      for (const { name } of rows) expect(mentions(local, name), name).to.equal(true);
    });

    it("every variable the functions read is in the table", () => {
      const documented = new Set(configurationRows().map((row) => row.name));
      const readByFunctions = new Set<string>();
      for (const file of sources("handlers")) {
        for (const match of read(file).matchAll(/(?:\(env, "|process\.env\.|\benv\.)([A-Z][A-Z0-9_]+)/g)) readByFunctions.add(match[1]);
      }
      expect(readByFunctions.size).to.be.greaterThan(20);
      expect([...readByFunctions].filter((name) => !documented.has(name)).sort()).to.deep.equal([]);
    });
  });

  it("every route of handlers/routes.ts is in an API table as `METHOD path`", () => {
    const rows = section("## API").filter((line) => line.startsWith("| "));
    const missing = routes.filter((route) => !rows.some((row) => row.startsWith(`| \`${route.method} ${route.path}\` |`)));
    expect(missing.map((route) => `${route.method} ${route.path}`)).to.deep.equal([]);
  });

  it("the API section documents API Gateway's own 404 body", () => {
    expect(section("## API").join(" ").replace(/\s+/g, " ")).to.include('404 `{"message":"Not Found"}`');
  });

  it("source comments cite only files the repository has", () => {
    const files = new Set([...["handlers", "local", "scripts", "stacks", "bundle", "test"].flatMap(sources), "README.md", "package.json", "cdktf.json"].map((path) => basename(path)));
    const cited: string[] = [];
    for (const file of ["main.ts", ...["handlers", "local", "scripts", "stacks", "bundle"].flatMap(sources)]) {
      for (const comment of read(file).match(/\/\/.*$|\/\*[\s\S]*?\*\//gm) ?? []) {
        for (const match of comment.matchAll(/([\w./-]+\.(?:ts|md))\b/g)) if (!files.has(basename(match[1]))) cited.push(`${file}: ${match[1]}`);
      }
    }
    expect(cited).to.deep.equal([]);
  });
});
