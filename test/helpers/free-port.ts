import { createServer, type AddressInfo } from "node:net";

/**
 * A loopback port free right now, for a runtime whose issuer must be its own URL (discovery
 * tests): the URL has to be known before the bundles load. Another process could take the
 * port in between; on this machine nothing else binds ephemeral ports on 127.0.0.1.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
