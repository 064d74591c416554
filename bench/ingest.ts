/**
 * Ingestion benchmark (issue 5): uploads a generated PDF corpus (pdf-lib: text pages with a
 * heading and ~300 words each) to an in-process box through POST /api/v1/documents and times
 * until every document is indexed: extraction per page, chunking, FTS5 writes and, in the second
 * run, embeddings by the test model on one thread. Prints pages per second for each run.
 *   bun bench/ingest.ts [--docs 20] [--pages 25] [--model test-fixtures/models/stories260K.gguf | none] [--json]
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { makeTempDir, startTestApp } from "../server/testing/harness.ts";
import { sessionCookie, setUpBox } from "../server/testing/identity.ts";
import { testModelPath } from "../server/testing/tools.ts";
import { describeMachine } from "./machine.ts";

const { values } = parseArgs({
  options: {
    docs: { type: "string", default: "20" },
    pages: { type: "string", default: "25" },
    model: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const docs = Number(values.docs);
const pagesPerDoc = Number(values.pages);
// `--model none` measures the keyword-only run alone.
const modelPath = values.model === "none" ? null : (values.model ?? testModelPath());

const WORDS = "valve pressure boiler burner service filter pump gasket nozzle thermostat inspection warranty".split(
  " ",
);

async function makeCorpus(): Promise<Uint8Array[]> {
  const files: Uint8Array[] = [];
  for (let doc = 0; doc < docs; doc += 1) {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (let page = 0; page < pagesPerDoc; page += 1) {
      const sheet = pdf.addPage([595, 842]);
      sheet.drawText(`Document ${doc + 1}, chapter ${page + 1}`, { x: 50, y: 790, font, size: 16 });
      for (let line = 0; line < 30; line += 1) {
        const words = Array.from({ length: 10 }, (_, i) => WORDS[(doc * 7 + page * 3 + line + i) % WORDS.length]);
        sheet.drawText(`${line + 1}. ${words.join(" ")}`, { x: 50, y: 760 - line * 15, font, size: 10 });
      }
    }
    files.push(await pdf.save());
  }
  return files;
}

type Run = { name: string; pages: number; seconds: number; pagesPerSecond: number; chunks: number };

async function run(name: string, corpus: Uint8Array[], env: Record<string, string>): Promise<Run> {
  const dataDir = makeTempDir("opsbox-bench-ingest-");
  const box = await startTestApp({ dataDir, env: { OPSBOX_LOG_LEVEL: "warn", ...env } });
  try {
    const setup = await setUpBox(box);
    const cookie = sessionCookie(box, setup.adminId, setup.orgId);
    const headers = { Cookie: cookie, Origin: new URL(box.url).origin, "HX-Request": "true" };
    const started = performance.now();
    const ids: string[] = [];
    for (const [index, bytes] of corpus.entries()) {
      const form = new FormData();
      form.append("file", new File([new Uint8Array(bytes)], `doc-${index}.pdf`));
      const response = await box.fetch("/api/v1/documents", { method: "POST", headers, body: form });
      if (response.status !== 202) throw new Error(`upload answered ${response.status}`);
      ids.push(((await response.json()) as { id: string }).id);
    }
    let chunks = 0;
    for (const id of ids) {
      for (;;) {
        const doc = (await (await box.fetch(`/api/v1/documents/${id}`, { headers })).json()) as {
          status: string;
          chunkCount: number;
          statusReason: string | null;
        };
        if (doc.status === "indexed") {
          chunks += doc.chunkCount;
          break;
        }
        if (doc.status === "failed" || doc.status === "needs_ocr") throw new Error(`${id}: ${doc.statusReason}`);
        await Bun.sleep(20);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const pages = docs * pagesPerDoc;
    return { name, pages, seconds, pagesPerSecond: pages / seconds, chunks };
  } finally {
    await box.stop("bench finished");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const corpus = await makeCorpus();
const runs: Run[] = [await run("keyword only (no embedding model)", corpus, {})];
if (modelPath) {
  runs.push(
    await run("with embeddings (test model, 1 thread)", corpus, {
      OPSBOX_EMBEDDING_MODEL: modelPath,
      OPSBOX_AI_THREADS: "1",
    }),
  );
} else {
  console.error("no test model found: the run with embeddings is skipped");
}

if (values.json) {
  console.log(JSON.stringify({ machine: describeMachine("none"), docs, pagesPerDoc, runs }, null, 2));
} else {
  console.log(`Ingestion: ${docs} PDFs × ${pagesPerDoc} pages, uploaded through the API, timed until all indexed`);
  for (const result of runs) {
    console.log(
      `  ${result.name.padEnd(42)} ${result.pagesPerSecond.toFixed(1).padStart(7)} pages/s  (${result.pages} pages, ${result.chunks} chunks, ${result.seconds.toFixed(2)} s)`,
    );
  }
}
