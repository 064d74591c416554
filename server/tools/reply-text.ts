/**
 * What a person wrote in a reply, without the message they answered: the text above the first
 * line that opens the quote ("On … wrote:", Outlook's "-----Original Message-----" or its
 * From:/Sent: header block, a run of `>` lines) and above the signature ("-- ").
 */
export function replyTextOf(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (opensQuote(line, lines[index + 1])) break;
    kept.push(line);
  }
  return kept.join("\n").trim();
}

const ATTRIBUTION = /^\s*(on\s.+|am\s.+|le\s.+|el\s.+)\s(wrote|schrieb|a écrit|escribió)\s*:\s*$/i;
const OUTLOOK_SEPARATOR = /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{2,}\s*$/i;

function opensQuote(line: string, next: string | undefined): boolean {
  if (line === "-- " || line === "--") return true;
  if (/^\s*>/.test(line)) return true;
  if (ATTRIBUTION.test(line) || OUTLOOK_SEPARATOR.test(line)) return true;
  // "On Tue, 3 Mar 2026 at 10:04, Ada <ada@example.com>" broken before "wrote:".
  if (/^\s*on\s.+/i.test(line) && next !== undefined && /^.*\swrote:\s*$/i.test(`${line} ${next}`)) return true;
  // Outlook without a separator: a "From: …" line followed by "Sent: …" or "Date: …".
  return /^\s*from:\s/i.test(line) && next !== undefined && /^\s*(sent|date):\s/i.test(next);
}
