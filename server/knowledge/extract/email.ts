import type { Address, Email } from "postal-mime";
import { paragraphsOf } from "./text.ts";
import { type Attachment, type Block, type Extraction, ExtractionError } from "./types.ts";

/**
 * An e-mail (RFC 822, parsed by postal-mime): its sender, recipients, date and subject, then
 * its body (the text part, else the HTML part as text) are the document; every attachment is
 * handed back to become a document of its own.
 */
export async function extractEmail(bytes: Uint8Array): Promise<Extraction> {
  // Loaded with the first e-mail, not at start (ingest.ts needs emailSubject): postal-mime and
  // the `entities` tables of html.ts cost about 8 MB of resident memory (bench/RESULTS.md, 2026-12-07).
  const { default: PostalMime } = await import("postal-mime");
  let email: Email;
  try {
    email = await PostalMime.parse(new Uint8Array(bytes), { attachmentEncoding: "arraybuffer" });
  } catch (error) {
    throw new ExtractionError(
      `The e-mail could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const subject = email.subject?.trim() || "(no subject)";
  const facts = [
    `Subject: ${subject}`,
    email.from ? `From: ${addresses([email.from])}` : "",
    email.to?.length ? `To: ${addresses(email.to)}` : "",
    email.cc?.length ? `Cc: ${addresses(email.cc)}` : "",
    email.date ? `Date: ${email.date}` : "",
  ].filter(Boolean);
  const blocks: Block[] = [{ page: 1, heading: subject, text: facts.join("\n") }];
  if (email.text?.trim()) {
    for (const paragraph of paragraphsOf(email.text)) blocks.push({ page: 1, heading: subject, text: paragraph });
  } else if (email.html) {
    const { extractHtml } = await import("./html.ts");
    for (const block of extractHtml(email.html).blocks) blocks.push({ ...block, heading: block.heading || subject });
  }
  const attachments: Attachment[] = email.attachments
    .filter((attachment) => attachment.disposition !== "inline" || attachment.filename)
    .map((attachment, index) => ({
      fileName: attachment.filename?.trim() || `attachment-${index + 1}`,
      bytes: bytesOf(attachment.content),
    }));
  return {
    pageCount: 1,
    blocks,
    pages: [blocks.map((block) => block.text).join("\n\n")],
    attachments,
    needsOcr: null,
  };
}

function bytesOf(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function addresses(list: Address[]): string {
  return list
    .flatMap((address) => (address.group ? address.group : [address]))
    .map((mailbox) => (mailbox.name ? `${mailbox.name} <${mailbox.address}>` : mailbox.address))
    .join(", ");
}

/** The subject of an e-mail's text, for its title (null when it has none). */
export function emailSubject(extraction: Extraction): string | null {
  const first = extraction.blocks[0]?.heading;
  return first && first !== "(no subject)" ? first : null;
}
