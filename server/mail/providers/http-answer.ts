import { cleanAnswer, SEND_TIMEOUT_MS, type SendOutcome } from "./types.ts";

/** What an HTTP mail API said, read whole (its bodies are small), or why it said nothing. */
export type HttpAnswer =
  | { answered: true; status: number; headers: Headers; body: string }
  | { answered: false; status: 0; error: string };

/** POSTs JSON with a timeout; a network failure or timeout comes back as status 0, never as a throw. */
export async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
      redirect: "error",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    return { answered: true, status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    return {
      answered: false,
      status: 0,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

/** A refusal: 429 and 5xx (and no answer) are worth another try, any other 4xx is final. */
export function httpFailure(answer: HttpAnswer, secrets: string[]): SendOutcome {
  if (!answer.answered) return { status: "temporary_failure", answer: cleanAnswer(answer.error, secrets) };
  const text = cleanAnswer(`HTTP ${answer.status}: ${answer.body}`, secrets);
  const temporary = answer.status === 429 || answer.status >= 500;
  return { status: temporary ? "temporary_failure" : "permanent_failure", answer: text };
}

/** A string field of a JSON answer (the provider's message id), or null. */
export function jsonStringField(body: string, field: string): string | null {
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[field];
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
