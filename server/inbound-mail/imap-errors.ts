import type { MailInbox } from "../../models/mail-inbound.ts";

/** Whether the server refused the user name or password (imapflow's AuthenticationFailure). */
export function isAuthenticationFailure(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "authenticationFailed" in error &&
    error.authenticationFailed === true
  );
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ENOTFOUND: "the host name was not found",
  ETIMEDOUT: "the connection timed out",
  CONNECT_TIMEOUT: "the connection timed out",
  GREETING_TIMEOUT: "the server did not greet in time",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "the host cannot be reached",
};

/**
 * A failure in words for the settings page, /readyz and the log: the server's own answer where
 * it gave one. Built from the error's code and the server's response only, so the password
 * (which imapflow never puts in an error) cannot slip in either way.
 */
export function describeImapError(error: unknown, inbox: Pick<MailInbox, "host" | "port">): string {
  const where = `${inbox.host}:${inbox.port}`;
  const fields = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const response = typeof fields.response === "string" ? clip(fields.response) : null;
  if (isAuthenticationFailure(error))
    return `The mail server ${where} refused the user name or password${response ? ` (${response})` : ""}.`;
  const code = typeof fields.code === "string" ? fields.code : "";
  if (NETWORK_REASONS[code]) return `Could not reach ${where}: ${NETWORK_REASONS[code]}.`;
  if (/certificate|self[- ]signed|CERT_/i.test(`${code} ${error instanceof Error ? error.message : ""}`))
    return `The TLS certificate of ${where} is not trusted (${clip(error instanceof Error ? error.message : code)}).`;
  if (response) return `The mail server ${where} answered: ${response}`;
  return `The mailbox at ${where} failed: ${clip(error instanceof Error ? error.message : String(error))}`;
}

function clip(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a server's text may carry control characters.
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}
