import type { Block } from "../extract/types.ts";

export type Chunk = { ordinal: number; page: number; heading: string; text: string; tokenCount: number };

export type ChunkOptions = {
  /** Words a chunk aims for (about 400 tokens at 300). */
  targetWords: number;
  /** Words a long passage's consecutive chunks share, so a sentence cut at a border is whole in one. */
  overlapWords: number;
  /** A chunk smaller than this takes in what follows on its page, and a tail this small joins the chunk before. */
  minWords: number;
};

export const defaultChunkOptions: ChunkOptions = { targetWords: 300, overlapWords: 50, minWords: 60 };

/** Tokens of a text, estimated from its words (English runs about 4 tokens per 3 words). */
export function estimateTokens(words: number): number {
  return Math.ceil((words * 4) / 3);
}

type Pending = { page: number; heading: string; lastHeading: string; parts: string[]; words: number; table?: string };

const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean);

/** A chunk that starts with this block. */
const startOf = (block: Block, words: number): Pending => ({
  page: block.page,
  heading: block.heading,
  lastHeading: block.heading,
  parts: [block.text],
  words,
});

/**
 * Splits blocks into chunks of about `targetWords` words that never cross a page, so each
 * chunk cites one page and the heading it starts under. Short passages on one page are packed
 * together; long ones are cut into overlapping windows; CSV rows are packed with their header
 * line repeated at the top of every chunk. Deterministic: the same blocks give the same chunks.
 */
export function chunkBlocks(blocks: readonly Block[], options: ChunkOptions = defaultChunkOptions): Chunk[] {
  const { targetWords: target, overlapWords: overlap, minWords: min } = options;
  const chunks: Chunk[] = [];
  let pending: Pending | null = null;
  const emit = (page: number, heading: string, text: string, words: number) => {
    chunks.push({ ordinal: chunks.length, page, heading, text, tokenCount: estimateTokens(words) });
  };
  const flush = () => {
    if (pending && pending.words > 0) {
      const body = pending.parts.join(pending.table === undefined ? "\n\n" : "\n");
      const text = pending.table === undefined ? body : `${pending.table}\n${body}`;
      emit(pending.page, pending.heading, text, pending.words + (pending.table ? wordsOf(pending.table).length : 0));
    }
    pending = null;
  };

  for (const block of blocks) {
    const words = wordsOf(block.text);
    if (words.length === 0) continue;
    const current: Pending | null = pending;
    if (block.tableHeader !== undefined) {
      const fits =
        current?.table === block.tableHeader && current.page === block.page && current.words + words.length <= target;
      if (fits) {
        current.parts.push(block.text);
        current.words += words.length;
      } else {
        flush();
        pending = { ...startOf(block, words.length), table: block.tableHeader };
      }
      continue;
    }
    if (words.length > target) {
      flush();
      for (let start = 0; ; ) {
        let end = Math.min(words.length, start + target);
        if (words.length - end < min) end = words.length;
        emit(block.page, block.heading, words.slice(start, end).join(" "), end - start);
        if (end === words.length) break;
        start = end - overlap;
      }
      continue;
    }
    const joinable =
      current !== null &&
      current.table === undefined &&
      current.page === block.page &&
      current.words + words.length <= target &&
      (current.lastHeading === block.heading || current.words < min);
    if (joinable) {
      // A heading met inside a packed chunk stays visible in its text.
      if (block.heading && block.heading !== current.lastHeading) current.parts.push(block.heading);
      current.parts.push(block.text);
      current.words += words.length;
      current.lastHeading = block.heading;
    } else {
      flush();
      pending = startOf(block, words.length);
    }
  }
  flush();
  return chunks;
}
