import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Db } from "../../db.ts";
import { documentQueryWords, indexTerm } from "./fts-query.ts";
import { highlightMatch, keywordChunkIds, planKeywordQuery } from "./keyword.ts";
import { insertDocument, insertOrganization, openSearchTestDb } from "./search-test-kit.ts";

let db: Db;
let close: () => void;
let orgId: string;
let rareIds: number[];
let newestCommon: number;
// More chunks hold "common" than the planner ranks in full (5,000), so it must plan around it.
const COMMON = 5_400;

beforeAll(() => {
  ({ db, close } = openSearchTestDb());
  orgId = insertOrganization(db);
  db.transaction(() => {
    for (let part = 0; part < 3; part++) {
      insertDocument(db, orgId, {
        chunks: Array.from({ length: COMMON / 3 }, (_, n) => ({ text: `common filler ${part} ${n}` })),
      });
    }
  });
  const rare = insertDocument(db, orgId, {
    chunks: [{ text: "common rare words" }, { text: "rare only" }, { text: "common common common" }],
  });
  rareIds = rare.chunkIds.slice(0, 2);
  newestCommon = rare.chunkIds[2] as number;
});
afterAll(() => close());

test("query words: quoted-safe, folded like the index, deduplicated, stopwords dropped unless alone", () => {
  expect(documentQueryWords('How do I reset the "boiler"?').map((word) => word.text)).toEqual(["reset", "boiler"]);
  expect(documentQueryWords("to be or").map((word) => word.text)).toEqual(["to", "be", "or"]);
  expect(documentQueryWords("Boiler BOILER boiler").map((word) => word.term)).toEqual(["boiler"]);
  expect(documentQueryWords("Cafe\u0301 Müller").map((word) => [word.text, word.term])).toEqual([
    ["Café", "cafe"],
    ["Müller", "muller"],
  ]);
  expect(indexTerm("Ünïcödé")).toBe("unicode");
  expect(documentQueryWords('NEAR("a" b) col:x* ^y -z').map((word) => word.text)).toEqual([
    "NEAR",
    "b",
    "col",
    "x",
    "y",
    "z",
  ]);
  expect(documentQueryWords("boi", { prefixLast: true })[0]?.prefix).toBe(true);
  expect(documentQueryWords("bo", { prefixLast: true })[0]?.prefix).toBe(false);
  expect(documentQueryWords(Array.from({ length: 40 }, (_, n) => `w${n}`).join(" "))).toHaveLength(16);
  expect(highlightMatch('say "hi" NEAR bye')).toBe('"say" OR "hi" OR "NEAR" OR "bye"');
  expect(highlightMatch("?!")).toBeNull();
});

test("all words rare: every chunk with any of them is ranked", () => {
  const plan = planKeywordQuery(db, "rare words");
  expect(plan).toEqual({ kind: "ranked", match: '"rare" OR "words"' });
  expect(keywordChunkIds(db, orgId, plan, {}, 10)).toEqual(rareIds);
});

test("a rare word decides which chunks match; the common one still scores them", () => {
  const plan = planKeywordQuery(db, "common rare");
  expect(plan).toEqual({ kind: "ranked", match: '("rare") AND ("common" OR "rare")' });
  // Only chunks with "rare", though thousands hold "common".
  expect(keywordChunkIds(db, orgId, plan, {}, 10).sort()).toEqual(rareIds);
});

test("only common words: the organisation's newest matching chunks are ranked, all words first", () => {
  const plan = planKeywordQuery(db, "common");
  expect(plan).toEqual({ kind: "bounded", matches: ['"common"'] });
  const ids = keywordChunkIds(db, orgId, plan, {}, 5);
  expect(ids).toHaveLength(5);
  expect(ids[0]).toBe(newestCommon);
  expect(planKeywordQuery(db, "common filler")).toEqual({
    kind: "bounded",
    matches: ['"common" AND "filler"', '"common" OR "filler"'],
  });
  expect(planKeywordQuery(db, "comm", { prefixLast: true })).toEqual({ kind: "bounded", matches: ['"comm"*'] });
  expect(planKeywordQuery(db, "ra", { prefixLast: true })).toEqual({ kind: "ranked", match: '"ra"' });
  expect(planKeywordQuery(db, "rar", { prefixLast: true })).toEqual({ kind: "ranked", match: '"rar"*' });
});

test("nothing searchable plans nothing; another organisation's id finds nothing", () => {
  expect(planKeywordQuery(db, ":-)")).toEqual({ kind: "none" });
  const other = insertOrganization(db, "Other");
  expect(keywordChunkIds(db, other, planKeywordQuery(db, "rare"), {}, 10)).toEqual([]);
  expect(keywordChunkIds(db, other, planKeywordQuery(db, "common"), {}, 10)).toEqual([]);
});
