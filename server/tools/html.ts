/** Text for HTML written as strings (the task rows, the assistant's citations). Pure: imports nothing. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/**
 * `text` safe inside an element or a quoted attribute. Text without a special character comes
 * back as it is, with no copy: the common case on the benchmarked task list.
 */
export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (char) => ENTITIES[char] ?? char) : text;
}
