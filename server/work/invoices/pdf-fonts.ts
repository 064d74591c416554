import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";

type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
type ParsedFont = ReturnType<Fontkit["create"]>;

/**
 * The invoice PDF's fonts: DejaVu Sans (Latin with Polish, German, Turkish and Vietnamese letters,
 * Greek, Cyrillic), shipped in ./fonts with its licence. The standard Helvetica of PDF readers
 * only encodes WinAnsi, so "Łódź" printed as "?ód?". Read from disk with the first PDF, never at start.
 */
const files = {
  regular: new URL("./fonts/DejaVuSans.ttf", import.meta.url),
  bold: new URL("./fonts/DejaVuSans-Bold.ttf", import.meta.url),
};

type FontBytes = { regular: Uint8Array; bold: Uint8Array };
let loading: Promise<FontBytes> | null = null;

function fontBytes(): Promise<FontBytes> {
  loading ??= Promise.all([Bun.file(files.regular).bytes(), Bun.file(files.bold).bytes()]).then(
    ([regular, bold]) => ({ regular, bold }),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * OpenType features left out of the layout of every line: text is composed (NFC) so each letter is
 * one glyph and needs no mark placement, and without ligatures or kerning the PDF's text copies and
 * searches exactly as typed. With them, DejaVu's large tables made a line ~0.3 ms instead of ~0.05 ms.
 */
const features = Object.fromEntries(
  ["kern", "liga", "calt", "ccmp", "mark", "mkmk", "locl", "clig", "rlig"].map((tag) => [tag, false]),
);

const parsed = new Map<Uint8Array, ParsedFont>();
/** fontkit that parses each font once: parsing DejaVu anew was most of a small invoice's time. */
const parseOnce: Fontkit = {
  create(bytes, postscriptName) {
    let font = parsed.get(bytes);
    if (!font) {
      font = fontkit.create(bytes, postscriptName);
      parsed.set(bytes, font);
    }
    return font;
  },
};

/** Embeds both fonts, subset: only the glyphs the invoice uses travel in the file. */
export async function embedInvoiceFonts(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  const bytes = await fontBytes();
  doc.registerFontkit(parseOnce);
  const [regular, bold] = await Promise.all([
    doc.embedFont(bytes.regular, { subset: true, features }),
    doc.embedFont(bytes.bold, { subset: true, features }),
  ]);
  return { regular, bold };
}

const REPLACEMENT = "\uFFFD";
// Joiners and variation selectors draw nothing: they never make a letter unprintable.
const FORMAT_CHARACTER = /\u200c|\u200d|[\ufe00-\ufe0f]/u;
const FORMAT_CHARACTERS = new RegExp(FORMAT_CHARACTER.source, "gu");
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

function drawable(text: string, charset: ReadonlySet<number>): boolean {
  for (const char of text) if (!charset.has(char.codePointAt(0) ?? 0)) return false;
  return true;
}

/**
 * Text a font can draw: composed (NFC, so "ễ" is one glyph), non-breaking spaces as spaces, and
 * each character it has no glyph for (an emoji with all its parts) as one visible U+FFFD.
 */
export function printableText(text: string, charset: ReadonlySet<number>): string {
  const normal = text.normalize("NFC").replace(/[\t\u00a0\u202f]/g, " ");
  // Most text has a glyph for every character: no need to split it into graphemes.
  if (drawable(normal, charset) && !FORMAT_CHARACTER.test(normal)) return normal;
  let out = "";
  for (const { segment } of graphemes.segment(normal)) {
    const visible = segment.replace(FORMAT_CHARACTERS, "");
    out += drawable(visible, charset) ? visible : REPLACEMENT;
  }
  return out;
}
