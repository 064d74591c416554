/** @jsxImportSource hono/jsx */
import { expect, test } from "bun:test";
import { DocumentHits, type DocumentHitView } from "./document-hits.tsx";

const hit = (fields: Partial<DocumentHitView>): DocumentHitView => ({
  documentId: "doc_1",
  title: "Boiler manual",
  chunkId: 1,
  page: 3,
  heading: "",
  snippet: "Bleed the radiators",
  snippetParts: [{ text: "Bleed the radiators", match: false }],
  text: "Bleed the radiators each autumn.",
  score: 0.03,
  keywordRank: 1,
  vectorRank: 2,
  similarity: 0.8,
  href: "/documents/doc_1/pages/3",
  ...fields,
});

test("a passage found by meaning alone says so; one with the words does not", () => {
  const html = `${<DocumentHits hits={[hit({ chunkId: 1 }), hit({ chunkId: 2, keywordRank: null, page: 7 })]} />}`;
  const items = html.split("<li").slice(1);
  expect(items[0]).not.toContain("close in meaning");
  expect(items[1]).toContain("None of the words; close in meaning");
  expect(items[1]).toContain("page 7");
});
