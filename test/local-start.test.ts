/**
 * `npm start` meets the ordinary accidents of a laptop: a second start on the same data
 * folder, damaged data or key files, a failed or interrupted `--memory` start, a restart on
 * another port, a bad LOG_LEVEL, LocalStack without region or credentials. Each is one
 * readable line and exit code 1, or just works; the folder helpers are also tested directly.
 */
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockDataDir, LOCK_FILE } from "../local/data-lock.js";
import { ensureTable, localDynamoClient, startDynalite } from "../local/dynalite.js";
import { checkDynaliteFolder, dataPaths, loadLocalKeys, LocalDataError, resetLocalData } from "../local/local-data.js";
import { LOCAL_ISSUER, startLocalRuntime } from "../local/runtime.js";
import { startLocalSes } from "../local/ses.js";
import { ROOT } from "../bundle/bundler.js";
import { startInProcessRuntime, TEST_RUNTIME_DEFAULTS } from "./helpers/in-process-runtime.js";
import { runStartToExit, spawnLocalRuntime, type FinishedStart } from "./helpers/local-runtime.js";
import { claimsOf } from "./helpers/access-tokens.js";

const RESET_HINT = "to start afresh, run `npm start -- --reset` (deletes the local users, sessions and keys)";
const PASSWORD = "correct horse battery staple";

/** A failed start: exit code 1, nothing on stdout, exactly one line on stderr; returns that line. */
function oneLineFailure(result: FinishedStart): string {
  expect(result.code, result.stdout + result.stderr).to.equal(1);
  expect(result.stdout).to.equal("");
  const lines = result.stderr.split("\n").filter(Boolean);
  expect(lines, result.stderr).to.have.length(1);
  expect(lines[0]).not.to.match(/\bat \S+ \(|node_modules|Error:/);
  return lines[0];
}

/**
 * A data folder as `npm start` leaves it, with dynalite's LevelDB compacted into .ldb files
 * (written when a folder with a log is reopened), and both key files.
 */
async function makeDataFolder(root: string): Promise<string> {
  const dir = mkdtempSync(join(root, "data-"));
  const paths = dataPaths(dir);
  for (let round = 0; round < 2; round++) {
    const dynamo = await startDynalite({ path: paths.dynalite });
    const client = localDynamoClient(dynamo.endpoint);
    await ensureTable(client, "auth-local");
    for (let i = 0; i < 20; i++) {
      await client.send(new PutItemCommand({ TableName: "auth-local", Item: { pk: { S: `USER#default#${round}-${i}@example.com` }, sk: { S: "PROFILE" }, note: { S: "x".repeat(200) } } }));
    }
    client.destroy();
    await dynamo.close();
  }
  loadLocalKeys(dir);
  return dir;
}

const ldbFiles = (dir: string) => readdirSync(dataPaths(dir).dynalite).filter((name) => name.endsWith(".ldb"));

describe("npm start: robust start-up", function () {
  this.timeout(120_000);
  let root: string;
  let pristine: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "auth-start-"));
    pristine = await makeDataFolder(root);
    expect(ldbFiles(pristine), "the fixture has .ldb files to damage").not.to.be.empty;
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** A fresh copy of the healthy data folder. */
  const copy = (): string => {
    const dir = mkdtempSync(join(root, "copy-"));
    cpSync(pristine, dir, { recursive: true });
    return dir;
  };

  describe("the data folder lock", () => {
    it("is taken, refused while held (naming the folder, pid and URL), and free again once released", () => {
      const dir = mkdtempSync(join(root, "lock-"));
      const lock = lockDataDir(dir);
      lock.announce("http://127.0.0.1:4321");
      expect(() => lockDataDir(dir))
        .to.throw(LocalDataError)
        .with.property("message", `the local data folder ${dir} is in use by another npm start (pid ${process.pid}, http://127.0.0.1:4321): stop it, or start this one with --memory or LOCAL_DATA_DIR=<another folder> (if none is running, delete ${join(dir, LOCK_FILE)})`);
      lock.release();
      expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
      lockDataDir(dir).release();
    });

    it("is taken over from a process that is gone (a crash, kill -9)", async () => {
      const dir = mkdtempSync(join(root, "lock-"));
      const child = spawn(process.execPath, ["-e", ""]);
      await once(child, "exit");
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: child.pid, url: "http://127.0.0.1:1" }));
      const lock = lockDataDir(dir);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).to.deep.equal({ pid: process.pid });
      lock.release();
    });
  });

  describe("damaged data and key files: one line naming the file and `npm start -- --reset`", () => {
    const damage: Array<[string, (dir: string) => string, string]> = [
      ["a truncated dynalite/CURRENT", (dir) => (truncateSync(join(dataPaths(dir).dynalite, "CURRENT"), 5), dataPaths(dir).dynalite), "is damaged (Corruption: CURRENT file does not end with newline)"],
      ["an emptied .ldb file", (dir) => {
        const file = join(dataPaths(dir).dynalite, ldbFiles(dir)[0]);
        truncateSync(file, 0);
        return file;
      }, "is damaged (IO error:"],
      ["an empty signing-key.pem", (dir) => (writeFileSync(dataPaths(dir).signingKey, ""), dataPaths(dir).signingKey), "is empty"],
      ["a garbage signing-key.pem", (dir) => (writeFileSync(dataPaths(dir).signingKey, "-----BEGIN PRIVATE KEY-----\nnot a key\n"), dataPaths(dir).signingKey), "is not a PEM private key"],
      ["an RSA signing-key.pem", (dir) => {
        const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" });
        writeFileSync(dataPaths(dir).signingKey, pem);
        return dataPaths(dir).signingKey;
      }, "holds a key that is not P-256 (ES256 needs one)"],
      ["an empty refresh-token-key", (dir) => (writeFileSync(dataPaths(dir).refreshTokenKey, ""), dataPaths(dir).refreshTokenKey), "is empty"],
      ["a garbage refresh-token-key", (dir) => (writeFileSync(dataPaths(dir).refreshTokenKey, "x".repeat(44)), dataPaths(dir).refreshTokenKey), "does not hold a 32-byte base64 key"],
      ["an unreadable refresh-token-key (a folder)", (dir) => {
        rmSync(dataPaths(dir).refreshTokenKey);
        mkdirSync(dataPaths(dir).refreshTokenKey);
        return dataPaths(dir).refreshTokenKey;
      }, "cannot be read (EISDIR)"],
    ];
    for (const [name, apply, problem] of damage) {
      it(name, async () => {
        const dir = copy();
        const named = apply(dir);
        const error = await startInProcessRuntime({}, { dataDir: dir }).then(
          (runtime) => runtime.close().then(() => expect.fail("it started")),
          (e: Error) => e,
        );
        expect(error).to.be.instanceOf(LocalDataError);
        expect(error.message).to.include(named);
        expect(error.message).to.include(problem);
        expect(error.message.endsWith(RESET_HINT), error.message).to.equal(true);
        expect(existsSync(join(dir, LOCK_FILE)), "the failed start released the lock").to.equal(false);
      });
    }

    for (const [name, apply] of [damage[0], damage[3]]) {
      it(`${name}: \`npm start\` prints that one line and exits 1`, async () => {
        const dir = copy();
        const named = apply(dir);
        const line = oneLineFailure(await runStartToExit({ LOCAL_DATA_DIR: dir }, []));
        expect(line).to.match(new RegExp(`^could not start the local runtime: the local (database|key file) ${named}`));
      });
    }

    it("checkDynaliteFolder passes a healthy folder, a missing one and an empty one", async () => {
      await checkDynaliteFolder(dataPaths(pristine).dynalite);
      await checkDynaliteFolder(join(root, "missing"));
      const empty = join(mkdtempSync(join(root, "empty-")), "dynalite");
      mkdirSync(empty);
      await checkDynaliteFolder(empty);
    });

    it("--reset without --yes and without a terminal refuses in one line and deletes nothing", async () => {
      const dir = copy();
      writeFileSync(dataPaths(dir).signingKey, "");
      const line = oneLineFailure(await runStartToExit({ LOCAL_DATA_DIR: dir }, ["--reset"]));
      expect(line).to.equal(`could not start the local runtime: --reset deletes the local users, sessions and keys in ${dir}: add --yes to confirm (there is no terminal to ask)`);
      expect(readdirSync(dir).sort()).to.deep.equal(["dynalite", "refresh-token-key", "secret-key", "signing-key.pem"]);
    });

    it("resetLocalData deletes what the runtime keeps there, and nothing else", () => {
      const dir = copy();
      writeFileSync(join(dir, "notes.txt"), "mine");
      expect(resetLocalData(dir).sort()).to.deep.equal(["dynalite", "refresh-token-key", "secret-key", "signing-key.pem"]);
      expect(readdirSync(dir)).to.deep.equal(["notes.txt"]);
    });

    it("`npm start -- --reset --yes` on a damaged folder starts afresh", async () => {
      const dir = copy();
      truncateSync(join(dataPaths(dir).dynalite, "CURRENT"), 5);
      const oldKey = readFileSync(dataPaths(dir).refreshTokenKey, "utf8");
      const runtime = await spawnLocalRuntime({ LOCAL_DATA_DIR: dir }, ["--reset", "--yes"]);
      try {
        expect(runtime.output()).to.include(`deleted the local data in ${dir}: dynalite, signing-key.pem, refresh-token-key, secret-key`);
        const created = await fetch(`${runtime.url}/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "fresh@example.com", password: PASSWORD }) });
        expect(created.status).to.equal(201);
        expect(readFileSync(dataPaths(dir).refreshTokenKey, "utf8")).not.to.equal(oldKey);
      } finally {
        expect(await runtime.stop()).to.equal(0);
      }
    });
  });

  it("ensureTable returns only once the new table serves (a CREATING table answers ResourceNotFoundException)", async () => {
    const dynamo = await startDynalite();
    const client = localDynamoClient(dynamo.endpoint);
    try {
      // Without the wait about one in ten of these writes failed.
      for (let i = 0; i < 50; i++) {
        await ensureTable(client, `table-${i}`);
        await client.send(new PutItemCommand({ TableName: `table-${i}`, Item: { pk: { S: "USER#default#a@example.com" }, sk: { S: "PROFILE" } } }));
      }
    } finally {
      client.destroy();
      await dynamo.close();
    }
  });

  describe("--memory removes its temporary folder (it holds the private key) whatever happens", () => {
    /** A TMPDIR of its own, so the test sees exactly what the runtime leaves there. */
    const privateTmp = () => mkdtempSync(join(root, "tmp-"));
    /** The runtime's folders in it (tsx keeps its own cache there too). */
    const memoryFolders = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith("auth-local-"));

    it("when the port is taken, after the keys were written", async () => {
      const TMPDIR = privateTmp();
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      try {
        const port = String((blocker.address() as { port: number }).port);
        const line = oneLineFailure(await runStartToExit({ TMPDIR, PORT: port }, ["--memory"]));
        expect(line).to.equal(`could not start the local runtime: port ${port} is in use (set PORT to another one, or 0 for any free port)`);
        expect(memoryFolders(TMPDIR)).to.deep.equal([]);
      } finally {
        blocker.close();
      }
    });

    it("when the port is taken, in process too (the start undoes its steps, not only the exit handler)", async () => {
      const TMPDIR = privateTmp();
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      const saved = { ...process.env };
      Object.assign(process.env, { TMPDIR });
      for (const name of ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SESV2"]) delete process.env[name];
      try {
        const port = (blocker.address() as { port: number }).port;
        const error = await startLocalRuntime({ port, memory: true, dataDir: "", log: () => {} }).then(() => undefined, (e: NodeJS.ErrnoException) => e);
        expect(error?.code).to.equal("EADDRINUSE");
        expect(memoryFolders(TMPDIR)).to.deep.equal([]);
      } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        blocker.close();
      }
    });

    it("on Ctrl-C during start-up: the start finishes or fails, then stops and removes it", async () => {
      const TMPDIR = privateTmp();
      const child = spawn(process.execPath, ["--import", "tsx", "local/start.ts", "--memory"], {
        cwd: ROOT,
        env: { ...process.env, ...TEST_RUNTIME_DEFAULTS, PORT: "0", TMPDIR },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const exited = once(child, "close");
      // The folder is made before dynalite, the mail server and the bundles: Ctrl-C while those start.
      for (let i = 0; i < 500 && memoryFolders(TMPDIR).length === 0 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 10));
      expect(memoryFolders(TMPDIR), output).to.have.length(1);
      expect(output, "not started yet").not.to.include("listening on");
      child.kill("SIGINT");
      const [code] = (await exited) as [number | null];
      expect(code, output).to.equal(0);
      expect(output).to.include("stopping");
      expect(memoryFolders(TMPDIR)).to.deep.equal([]);
    });

    it("when the configuration is bad", async () => {
      const TMPDIR = privateTmp();
      const line = oneLineFailure(await runStartToExit({ TMPDIR, TENANTS: "Not A Tenant" }, ["--memory"]));
      expect(line).to.match(/^could not start the local runtime: configuration: TENANTS entry "Not A Tenant"/);
      expect(memoryFolders(TMPDIR)).to.deep.equal([]);
    });
  });

  describe("configuration", () => {
    it("a bad LOG_LEVEL stops the start in one line naming it", async () => {
      const line = oneLineFailure(await runStartToExit({ LOG_LEVEL: "verbose" }, ["--memory"]));
      expect(line).to.equal('could not start the local runtime: configuration: LOG_LEVEL must be debug, info, warn or error, got "verbose"');
    });

    it("an unknown option stops the start in one line", async () => {
      const line = oneLineFailure(await runStartToExit({}, ["--memroy"]));
      expect(line).to.equal("could not start the local runtime: unknown option --memroy (known: --memory, --reset, --yes)");
    });
  });

  describe("a stable local issuer, info logs and JSON access lines", () => {
    it("tokens survive a restart on another port; the issuer is fixed, the default log level info, every access line JSON without the query", async () => {
      const dir = mkdtempSync(join(root, "restart-"));
      const email = "restart@example.com";
      let first = await startInProcessRuntime({}, { dataDir: dir });
      let firstPort: number;
      let access: string;
      let refresh: string;
      try {
        firstPort = Number(new URL(first.url).port);
        expect((await first.call("POST", "/auth/register", { email, password: PASSWORD })).status).to.equal(201);
        const wrong = await first.call("POST", "/auth/login", { email, password: "not the password at all" });
        expect(wrong.status).to.equal(401);
        const login = await first.call("POST", "/auth/login", { email, password: PASSWORD });
        expect(login.status).to.equal(200);
        ({ access_token: access, refresh_token: refresh } = login.json);
        const claims = claimsOf(access);
        expect(claims.iss).to.equal(LOCAL_ISSUER);
        // info by default, as documented: the failed login is in the log.
        expect(first.console.some((line) => /"level":"info".*"service":"login"/.test(line)), first.console.join("\n")).to.equal(true);
        await first.call("GET", "/.well-known/jwks.json?token=secret-in-query");
        const lines = first.accessLog.map((line) => JSON.parse(line));
        expect(lines.map((line) => [line.method, line.path, line.status])).to.deep.include.members([
          ["POST", "/auth/login", 401],
          ["GET", "/.well-known/jwks.json", 200],
        ]);
        for (const line of lines) expect(line).to.include.keys("level", "time", "service", "message", "method", "path", "status", "latencyMs");
        expect(first.accessLog.join("\n")).not.to.include("secret-in-query");

        // A second start on the folder in use, on any port: one line naming it and this instance.
        const second = oneLineFailure(await runStartToExit({ LOCAL_DATA_DIR: dir, PORT: "0" }, []));
        expect(second).to.equal(
          `could not start the local runtime: the local data folder ${dir} is in use by another npm start (pid ${process.pid}, ${first.url}): stop it, or start this one with --memory or LOCAL_DATA_DIR=<another folder> (if none is running, delete ${join(dir, LOCK_FILE)})`,
        );
        expect((await first.call("GET", "/.well-known/jwks.json")).status, "the running one is unharmed").to.equal(200);
      } finally {
        await first.close();
      }
      expect(existsSync(join(dir, LOCK_FILE)), "closing releases the lock").to.equal(false);
      // Hold the old port, so the restart surely gets another one.
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(firstPort, "127.0.0.1", resolve));
      first = await startInProcessRuntime({}, { dataDir: dir });
      try {
        expect(Number(new URL(first.url).port)).not.to.equal(firstPort);
        expect((await first.call("GET", "/me", undefined, { authorization: `Bearer ${access}` })).status).to.equal(200);
        expect((await first.call("POST", "/auth/refresh", { refresh_token: refresh })).status).to.equal(200);
      } finally {
        await first.close();
        blocker.close();
      }
    });
  });

  it("LocalStack: with AWS_ENDPOINT_URL and no region or credentials, it sets local ones, says so, and answers (not 503); ISSUER overrides the local issuer; Ctrl-C removes the --memory folder", async () => {
    // dynalite and the local SES server stand in for LocalStack's DynamoDB and SES.
    const dynamo = await startDynalite();
    const ses = await startLocalSes();
    const TMPDIR = mkdtempSync(join(root, "tmp-"));
    const memoryFolders = () => readdirSync(TMPDIR).filter((name) => name.startsWith("auth-local-"));
    const none = { AWS_ENDPOINT_URL_DYNAMODB: undefined, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined };
    const runtime = await spawnLocalRuntime({
      ...none,
      // No ~/.aws files either: the defaults are the only source.
      AWS_CONFIG_FILE: join(root, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(root, "no-credentials"),
      AWS_ENDPOINT_URL: dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      ISSUER: "https://issuer.example",
      TMPDIR,
    });
    try {
      expect(runtime.output()).to.include(`AWS_ENDPOINT_URL ${dynamo.endpoint}: using AWS_REGION=us-east-1, AWS_ACCESS_KEY_ID=test, AWS_SECRET_ACCESS_KEY=test`);
      expect(runtime.output()).to.include("tokens: issuer https://issuer.example, tenants default");
      const post = (path: string) =>
        fetch(runtime.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "stack@example.com", password: PASSWORD }) });
      expect((await post("/auth/register")).status).to.equal(201);
      const login = await post("/auth/login");
      expect(login.status).to.equal(200);
      const { access_token } = (await login.json()) as { access_token: string };
      expect(claimsOf(access_token).iss).to.equal("https://issuer.example");
      expect((await fetch(`${runtime.url}/me`, { headers: { authorization: `Bearer ${access_token}` } })).status).to.equal(200);
      expect(memoryFolders(), "the --memory folder exists while it runs").to.have.length(1);
    } finally {
      expect(await runtime.stop()).to.equal(0);
      await ses.close();
      await dynamo.close();
    }
    expect(memoryFolders(), "and is gone after Ctrl-C").to.deep.equal([]);
  });
});
