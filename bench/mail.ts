/**
 * Outbox throughput: `bun bench/mail.ts [--messages 600]`.
 *
 * A real box on a loopback port (startTestApp: the real server, its outbox job on the job
 * runtime with the default four lanes and pool of three SMTP connections) sends `--messages` queued messages to
 * a local SMTP server (smtp-server, STARTTLS and a password, as the tests use). While it sends,
 * a client asks GET /healthz every 20 ms over the socket, to see whether sending holds up
 * requests. Prints messages a minute and the request latencies (p50, p99, max).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { mailMessages } from "../models/mail.ts";
import { queueMail } from "../server/mail/outbox.ts";
import { saveMailSettings } from "../server/mail/settings.ts";
import { startTestApp } from "../server/testing/harness.ts";
import { setUpBox } from "../server/testing/identity.ts";
import { loopbackSmtpSettings, startTestSmtpServer } from "../server/testing/smtp-server.ts";

const { values } = parseArgs({ options: { messages: { type: "string", default: "600" } } });
const total = Number(values.messages);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const loadBefore = loadavg()[0] ?? 0;
const smtp = await startTestSmtpServer();
const box = await startTestApp();
try {
  const { orgId } = await setUpBox(box);
  saveMailSettings(box.deps.db, box.deps.keyring, loopbackSmtpSettings(smtp));
  // Idle requests first: the latency without sending, to compare with.
  const idle = await probe(2_000, () => false);

  const started = performance.now();
  box.deps.db.transaction((tx) => {
    for (let n = 0; n < total; n++)
      queueMail(tx, box.deps.log, {
        orgId,
        to: `person${n}@example.com`,
        subject: `Invoice ${n}`,
        text: `Dear customer,\n\ninvoice ${n} is attached.\n\nRegards`,
        template: "invoice",
      });
  });
  let finished = 0;
  const busy = await probe(120_000, () => {
    if (smtp.received.length < total) return false;
    finished ||= performance.now();
    return true;
  });
  const seconds = (finished - started) / 1000;
  const sent = box.deps.db
    .select()
    .from(mailMessages)
    .all()
    .filter((row) => row.status === "sent").length;
  console.log(`load average before: ${loadBefore.toFixed(2)} (${navigator.hardwareConcurrency} cores)`);
  console.log(`${smtp.received.length} messages received, ${sent} marked sent, in ${seconds.toFixed(2)} s`);
  console.log(`throughput: ${Math.round((smtp.received.length / seconds) * 60)} messages/min`);
  console.log(`GET /healthz idle:    ${describe(idle)}`);
  console.log(`GET /healthz sending: ${describe(busy)}`);
} finally {
  await box.close();
  await smtp.close();
}

/** GET /healthz every 20 ms until `done` says so (or `ms` passes); the latencies in ms. */
async function probe(ms: number, done: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end && !(latencies.length > 10 && done())) {
    const start = performance.now();
    await (await box.fetch("/healthz")).arrayBuffer();
    latencies.push(performance.now() - start);
    await Bun.sleep(20);
  }
  return latencies;
}

function describe(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const f = (value: number) => `${value.toFixed(1)} ms`;
  return `${sorted.length} requests, p50 ${f(percentile(sorted, 0.5))}, p99 ${f(percentile(sorted, 0.99))}, max ${f(sorted.at(-1) ?? 0)}`;
}
