/**
 * Bytes a cold browser moves for one console page (issue 13): an in-process box, a signed-in
 * admin, then the page and every stylesheet, script and icon it links, fetched as a browser with
 * an empty cache would (`Accept-Encoding: br, gzip` by default). Counts body bytes as sent on
 * the wire (not decompressed); headers are left out. Also shows each asset's Cache-Control.
 *   bun bench/static-bytes.ts [--page /tasks/board] [--encoding "br, gzip"] [--json]
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { makeTempDir, startTestApp } from "../server/testing/harness.ts";
import { sessionCookie, setUpBox } from "../server/testing/identity.ts";

const { values } = parseArgs({
  options: {
    page: { type: "string", default: "/tasks/board" },
    encoding: { type: "string", default: "br, gzip" },
    json: { type: "boolean", default: false },
  },
});

type Row = { url: string; bytes: number; encoding: string; cacheControl: string };

/** The stylesheet, script and icon URLs of a page, in document order. */
function linkedAssets(html: string): string[] {
  const urls = [...html.matchAll(/<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"/g)].map((match) => match[1]);
  return [...new Set(urls.filter((url): url is string => url?.startsWith("/static/") ?? false))];
}

const dataDir = makeTempDir("opsbox-bench-static-");
const box = await startTestApp({ dataDir, env: { OPSBOX_LOG_LEVEL: "warn" } });
try {
  const setup = await setUpBox(box);
  const cookie = sessionCookie(box, setup.adminId, setup.orgId);
  const encoding = values.encoding ?? "";
  const get = async (url: string, headers: Record<string, string>): Promise<Row> => {
    // decompress: false keeps the bytes as they crossed the socket.
    const response = await fetch(new URL(url, box.url), { headers, decompress: false });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    const bytes = (await response.arrayBuffer()).byteLength;
    return {
      url,
      bytes,
      encoding: response.headers.get("Content-Encoding") ?? "identity",
      cacheControl: response.headers.get("Cache-Control") ?? "",
    };
  };
  const pagePath = values.page ?? "/";
  const pageResponse = await fetch(new URL(pagePath, box.url), { headers: { Cookie: cookie } });
  const html = await pageResponse.text();
  const rows = [await get(pagePath, { Cookie: cookie, "Accept-Encoding": encoding })];
  for (const url of linkedAssets(html)) rows.push(await get(url, { "Accept-Encoding": encoding }));
  const total = rows.reduce((sum, row) => sum + row.bytes, 0);
  const assetBytes = total - (rows[0]?.bytes ?? 0);
  if (values.json) {
    console.log(JSON.stringify({ page: pagePath, acceptEncoding: encoding, total, assetBytes, rows }, null, 2));
  } else {
    console.log(`| ${pagePath} (Accept-Encoding: ${encoding}) | bytes | encoding | Cache-Control |`);
    console.log("|---|---|---|---|");
    for (const row of rows) {
      console.log(`| \`${row.url}\` | ${row.bytes.toLocaleString("en")} | ${row.encoding} | ${row.cacheControl} |`);
    }
    console.log(
      `| **total** (assets alone) | **${total.toLocaleString("en")}** (${assetBytes.toLocaleString("en")}) | | |`,
    );
  }
} finally {
  await box.close();
  rmSync(dataDir, { recursive: true, force: true });
}
