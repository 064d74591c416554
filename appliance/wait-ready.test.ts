/** appliance/wait-ready.sh, opsbox.service's readiness check, against a real server on loopback. */
import { expect } from "bun:test";
import { join } from "node:path";
import { testWith } from "../server/testing/tools.ts";

const SCRIPT = join(import.meta.dir, "wait-ready.sh");

/** A /readyz that answers 503 to its first `failing` probes, then 200. */
function readyz(failing: number) {
  let probes = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request) => {
      if (new URL(request.url).pathname !== "/readyz") return new Response("no", { status: 404 });
      probes += 1;
      return Response.json({ status: probes > failing ? "ok" : "fail" }, { status: probes > failing ? 200 : 503 });
    },
  });
  return { server, probes: () => probes };
}

async function waitReady(port: number, args: string[]): Promise<{ code: number; err: string }> {
  const child = Bun.spawn(["bash", SCRIPT, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOST: "127.0.0.1", PORT: String(port) },
    stderr: "pipe",
  });
  const code = await child.exited;
  return { code, err: await new Response(child.stderr).text() };
}

testWith("curl", "wait-ready.sh --ready waits for a 200 from /readyz", async () => {
  const { server, probes } = readyz(2);
  try {
    expect(await waitReady(server.port ?? 0, ["10", "--ready"])).toEqual({ code: 0, err: "" });
    expect(probes()).toBe(3);
  } finally {
    server.stop(true);
  }
});

testWith("curl", "wait-ready.sh without --ready takes any answer: the server listens, so it started", async () => {
  const { server, probes } = readyz(5);
  try {
    expect(await waitReady(server.port ?? 0, ["10"])).toEqual({ code: 0, err: "" });
    expect(probes()).toBe(1);
  } finally {
    server.stop(true);
  }
});

testWith("curl", "wait-ready.sh gives up after its seconds when nothing answers, and says so", async () => {
  const { server } = readyz(0);
  const port = server.port ?? 0;
  server.stop(true);
  const result = await waitReady(port, ["1", "--ready"]);
  expect(result.code).toBe(1);
  expect(result.err).toBe(`opsbox: nothing answered http://127.0.0.1:${port}/readyz within 1s\n`);
});
