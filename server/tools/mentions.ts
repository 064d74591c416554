/** Someone a comment may mention: their shown name and the local part of their e-mail address. */
export type MentionCandidate = { id: string; name: string; email: string };

/**
 * The people a text mentions: `@` followed by a person's full shown name ("@Ada Lovelace") or
 * the part of their e-mail address before the `@` ("@ada"), in any case, ending at a word
 * boundary. The longest name wins, so "@Ada Lovelace" is not also "@Ada" of someone else.
 */
export function mentionedIn(text: string, candidates: MentionCandidate[]): string[] {
  if (!text.includes("@")) return [];
  const handles: { handle: string; id: string }[] = [];
  for (const person of candidates) {
    const name = person.name.trim().toLowerCase();
    if (name) handles.push({ handle: name, id: person.id });
    const local = person.email.split("@")[0]?.toLowerCase();
    if (local) handles.push({ handle: local, id: person.id });
  }
  handles.sort((a, b) => b.handle.length - a.handle.length);
  const lower = text.toLowerCase();
  const found = new Set<string>();
  for (let at = lower.indexOf("@"); at >= 0; at = lower.indexOf("@", at + 1)) {
    // An e-mail address (ada@example.com) is not a mention: the @ must start a word.
    if (at > 0 && /[\p{L}\p{N}._-]/u.test(lower[at - 1] ?? "")) continue;
    const rest = lower.slice(at + 1);
    const match = handles.find(
      ({ handle }) => rest.startsWith(handle) && !/[\p{L}\p{N}_-]/u.test(rest[handle.length] ?? ""),
    );
    if (match) found.add(match.id);
  }
  return [...found];
}
