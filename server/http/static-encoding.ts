/** Content negotiation: which coding to answer with (static files' copies, compressed answers). */

export type Encoding = "br" | "gzip" | "identity";

/**
 * Weights of an `Accept-Encoding` header (RFC 9110 §12.5.3): `br;q=0` refuses brotli, `*` stands
 * for every coding not named.
 */
function acceptedWeights(header: string): (coding: string) => number {
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (name === "") continue;
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    weights.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(weight) ? weight : 0);
  }
  return (coding) => weights.get(coding) ?? weights.get("*") ?? 0;
}

/**
 * The coding to answer with: the highest-weighted of brotli and gzip among the copies there are
 * (brotli on a tie), identity when neither is accepted. As nginx's gzip_static, a compressed
 * copy the client accepts at all wins over identity, whatever identity's weight.
 */
export function chooseEncoding(header: string | undefined, available: readonly Encoding[]): Encoding {
  if (!header) return "identity";
  const weight = acceptedWeights(header);
  let best: Encoding = "identity";
  let bestWeight = 0;
  // Preference order breaks ties: the smaller copy first.
  for (const coding of ["br", "gzip"] as const) {
    const w = weight(coding);
    if (available.includes(coding) && w > bestWeight) {
      best = coding;
      bestWeight = w;
    }
  }
  return best;
}
