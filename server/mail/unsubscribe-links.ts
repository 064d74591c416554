import type { MailMessage } from "../../models/mail.ts";
import { escapeHtml } from "../tools/html.ts";
import type { Keyring } from "../tools/secrets.ts";
import { signUnsubscribeToken } from "../tools/unsubscribe-token.ts";
import type { ProviderMessage } from "./providers/types.ts";

/** How long an unsubscribe link works after its message was sent. */
export const UNSUBSCRIBE_LINK_DAYS = 365;

/** What signing unsubscribe links needs: the box's keyring and its public address (OPSBOX_BASE_URL). */
export type UnsubscribeLinks = { keyring: Keyring; baseUrl: string };

/** The page (and RFC 8058 one-click POST target) that takes `message`'s address off its organisation's non-essential mail. */
export function unsubscribeUrlFor(
  links: UnsubscribeLinks,
  message: Pick<MailMessage, "orgId" | "toAddress">,
  now = new Date(),
): string {
  const expiresAt = new Date(now.getTime() + UNSUBSCRIBE_LINK_DAYS * 86_400_000);
  const token = signUnsubscribeToken(links.keyring, { orgId: message.orgId, address: message.toAddress }, expiresAt);
  return `${links.baseUrl.replace(/\/+$/, "")}/unsubscribe/${token}`;
}

/**
 * A non-essential message as it leaves: `List-Unsubscribe` with the link and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058, so mail clients offer their own
 * button), and the link at the foot of the text and HTML parts. Essential mail goes as it is.
 */
export function withUnsubscribeLink(
  sent: ProviderMessage,
  message: Pick<MailMessage, "orgId" | "toAddress" | "kind">,
  links: UnsubscribeLinks,
  now = new Date(),
): ProviderMessage {
  if (message.kind === "essential") return sent;
  const url = unsubscribeUrlFor(links, message, now);
  const footer = `You can stop these e-mails: ${url}`;
  const htmlFooter =
    `<p style="font-size:12px;color:#6b7280;margin:24px 0 0">` +
    `<a href="${escapeHtml(url)}" style="color:inherit">Unsubscribe</a> from these e-mails.</p>`;
  return {
    ...sent,
    headers: {
      ...sent.headers,
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    // Under the template's own signature block when it has one ("-- " line), else in a new one.
    text: `${sent.text.replace(/\s+$/, "")}\n${/\n-- ?\n/.test(sent.text) ? "" : "\n-- \n"}${footer}\n`,
    html: sent.html ? withHtmlFooter(sent.html, htmlFooter) : null,
  };
}

/** The footer just before `</body>`, or at the end of a fragment without one. */
function withHtmlFooter(html: string, footer: string): string {
  const end = html.toLowerCase().lastIndexOf("</body>");
  return end === -1 ? `${html}${footer}` : `${html.slice(0, end)}${footer}${html.slice(end)}`;
}
