import { expect, test } from "bun:test";
import { searchWords, toFtsQuery } from "./query.ts";

test("every word is quoted and the last one is a prefix", () => {
  expect(toFtsQuery("boiler room")).toBe('"boiler" "room"*');
  expect(toFtsQuery("  Café  ")).toBe('"Café"*');
});

test("FTS5 operators and syntax become plain words or separators", () => {
  expect(toFtsQuery('NEAR(boiler "room", 2) OR title:x*')).toBe('"NEAR" "boiler" "room" "2" "OR" "title" "x"*');
  expect(toFtsQuery("-boiler ^room +a")).toBe('"boiler" "room" "a"*');
  expect(toFtsQuery("'; DROP TABLE tasks; --")).toBe('"DROP" "TABLE" "tasks"*');
});

test("nothing searchable gives null", () => {
  for (const text of ["", "   ", '"', "()", "*", ":-)", "\u0000", "🔥"])
    expect([text, toFtsQuery(text)]).toEqual([text, null]);
});

test("long input is capped in words and in letters", () => {
  expect(searchWords(Array.from({ length: 20 }, (_, n) => `w${n}`).join(" "))).toHaveLength(8);
  expect(searchWords("é".repeat(100))[0]).toHaveLength(64);
});

test("decomposed accents are composed first (NFC), so they stay part of the word", () => {
  expect(searchWords("Cafe\u0301 Mu\u0308ller")).toEqual(["Café", "Müller"]);
});
