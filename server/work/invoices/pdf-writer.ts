import { type PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import { printableText } from "./pdf-fonts.ts";

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 50;
const GREY = rgb(0.4, 0.4, 0.4);

/** Writes text with the embedded fonts; a character neither has a glyph for prints as a visible U+FFFD. */
export class PdfWriter {
  page: PDFPage;
  y = A4[1] - MARGIN;
  private readonly charsets: Map<PDFFont, ReadonlySet<number>>;
  private readonly advances = new Map<PDFFont, Map<string, number>>();

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.charsets = new Map([regular, bold].map((font) => [font, new Set(font.getCharacterSet())]));
  }

  clean(text: string, font = this.regular): string {
    return printableText(text, this.charsets.get(font) ?? new Set());
  }

  /**
   * The width of a line, from each character's advance: the fonts are laid out without kerning or
   * ligatures, so this equals pdf-lib's own measure without a full layout per call.
   */
  widthOf(text: string, size: number, font = this.regular): number {
    let advances = this.advances.get(font);
    if (!advances) {
      advances = new Map();
      this.advances.set(font, advances);
    }
    let total = 0;
    for (const char of text) {
      let advance = advances.get(char);
      if (advance === undefined) {
        advance = font.widthOfTextAtSize(char, 1000);
        advances.set(char, advance);
      }
      total += advance;
    }
    return (total * size) / 1000;
  }

  text(text: string, x: number, options: { size?: number; bold?: boolean; right?: boolean; grey?: boolean } = {}) {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const clean = this.clean(text, font);
    const left = options.right ? x - this.widthOf(clean, size, font) : x;
    this.page.drawText(clean, { x: left, y: this.y, size, font, color: options.grey ? GREY : rgb(0, 0, 0) });
  }

  down(points: number) {
    this.y -= points;
    if (this.y < MARGIN) this.newPage();
  }

  newPage() {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  rule() {
    this.page.drawLine({
      start: { x: MARGIN, y: this.y + 4 },
      end: { x: A4[0] - MARGIN, y: this.y + 4 },
      thickness: 0.5,
      color: GREY,
    });
  }

  /** Splits text into lines no wider than `width`. */
  wrap(text: string, width: number, size = 10): string[] {
    const out: string[] = [];
    // Split before cleaning: a line break has no glyph and would print as one.
    for (const paragraph of text.split(/\r?\n/).map((line) => this.clean(line))) {
      let line = "";
      for (const word of paragraph.split(" ")) {
        const next = line ? `${line} ${word}` : word;
        if (this.widthOf(next, size) <= width || !line) line = next;
        else {
          out.push(line);
          line = word;
        }
      }
      out.push(line);
    }
    return out;
  }
}
