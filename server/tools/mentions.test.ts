import { expect, test } from "bun:test";
import { mentionedIn } from "./mentions.ts";

const people = [
  { id: "ada", name: "Ada Lovelace", email: "ada@acme.test" },
  { id: "adam", name: "Adam Smith", email: "a.smith@acme.test" },
  { id: "bo", name: "Bo", email: "bo.b@acme.test" },
];

test("a full name or an e-mail's local part after @ mentions the person, in any case", () => {
  expect(mentionedIn("Thanks @ada lovelace, and @BO.", people)).toEqual(["ada", "bo"]);
  expect(mentionedIn("@a.smith can you look?", people)).toEqual(["adam"]);
});

test("the longest name wins and a name must end at a word boundary", () => {
  expect(mentionedIn("@Adam Smith please", people)).toEqual(["adam"]);
  expect(mentionedIn("@adamant is not a person", people)).toEqual([]);
});

test("an e-mail address in the text is not a mention", () => {
  expect(mentionedIn("write to bo@ada.test", people)).toEqual([]);
});
