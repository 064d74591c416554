import { describe, expect, test } from "bun:test";
import { withUnsubscribeLink } from "../../server/mail/unsubscribe-links.ts";
import { escapeHtml } from "../../server/tools/html.ts";
import { newId } from "../../server/tools/ids.ts";
import { createKeyring } from "../../server/tools/secrets.ts";
import { invitationMail, membershipInvitationMail, passwordResetMail } from "./account-mail.tsx";
import { healthAlertMail, healthRecoveredMail } from "./health-mail.tsx";
import { invoiceMail } from "./invoice-mail.tsx";
import type { RenderedMail } from "./layout.tsx";
import { notificationMail } from "./notification-mail.tsx";
import { testMail } from "./test-mail.tsx";

const BASE = "https://ops.acme.test";
const ORG = "Acme <Tools> & Sons";
const EVIL = `<script>alert("x")</script>`;

/** Every template, with user-typed text carrying markup where the template shows any. */
const templates: [string, string, RenderedMail][] = [
  [
    "invitation",
    ORG,
    invitationMail({
      organizationName: ORG,
      inviterName: `Mia ${EVIL}`,
      roleName: "Team Member",
      link: `${BASE}/invitations/accept?token=abc`,
    }),
  ],
  [
    "membership invitation",
    ORG,
    membershipInvitationMail({
      organizationName: ORG,
      inviterName: null,
      roleName: "Viewer",
      link: `${BASE}/invitations/join?token=def`,
    }),
  ],
  ["password reset", "Opsbox", passwordResetMail({ link: `${BASE}/reset-password?token=ghi` })],
  [
    "invoice",
    ORG,
    invoiceMail({
      invoice: {
        number: "INV-0007",
        issueDate: "2026-03-01",
        dueDate: "2026-03-31",
        subtotal: 10000,
        tax: 2000,
        total: 12000,
        currency: "EUR",
      },
      customerName: `Umbrella ${EVIL}`,
      organizationName: ORG,
      fileName: "invoice-INV-0007.pdf",
    }),
  ],
  [
    "notification",
    ORG,
    notificationMail({
      organization: ORG,
      items: [{ kind: "task_assigned", title: `Fix ${EVIL}`, url: `${BASE}/tasks/tsk_1`, at: "2026-03-01 09:00" }],
      preferencesUrl: `${BASE}/account/notifications`,
      replyAdds: "task",
    }),
  ],
  [
    "health alert",
    "Opsbox",
    healthAlertMail({
      since: "2026-03-01 09:00 UTC",
      problems: [{ label: "Disk", message: `${EVIL} 2% free` }],
      detailsUrl: `${BASE}/settings/monitoring`,
    }),
  ],
  [
    "health recovered",
    "Opsbox",
    healthRecoveredMail({
      at: "2026-03-01 10:00 UTC",
      minutes: 60,
      resolved: [{ label: "Disk", message: "2% free" }],
      detailsUrl: `${BASE}/settings/monitoring`,
    }),
  ],
  ["test message", "Opsbox", testMail({ sentBy: `Ada ${EVIL}`, provider: "smtp" })],
];

const escapedOrg = "Acme &lt;Tools&gt; &amp; Sons";

describe("every e-mail template", () => {
  for (const [name, organization, mail] of templates) {
    test(`${name}: both parts name the sender, HTML is one dark-mode-safe document with inline styles`, () => {
      expect(mail.subject.length).toBeGreaterThan(0);
      expect(mail.text.startsWith(`${organization}\n`)).toBe(true);
      expect(mail.html).toStartWith('<!doctype html><html lang="en">');
      expect(mail.html).toContain(organization === ORG ? escapedOrg : organization);
      expect(mail.html).toContain('<meta name="color-scheme" content="light dark"/>');
      expect(mail.html).toContain("prefers-color-scheme: dark");
      expect(mail.html).toContain('style="');
      expect(mail.html).toContain(`<title>${escapeHtml(mail.subject)}</title>`);
    });

    test(`${name}: user text is escaped in HTML, never markup`, () => {
      expect(mail.html).not.toContain("<script>");
      if (mail.text.includes(EVIL)) expect(mail.html).toContain("&lt;script&gt;");
    });

    test(`${name}: every link is absolute, from the base URL`, () => {
      const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? "");
      for (const href of hrefs) expect(href.startsWith(`${BASE}/`)).toBe(true);
      const textLinks = mail.text.match(/https?:\/\/\S+/g) ?? [];
      for (const link of textLinks) expect(link.startsWith(`${BASE}/`)).toBe(true);
      expect(new Set(textLinks)).toEqual(new Set(hrefs.map((href) => href.replaceAll("&amp;", "&"))));
    });
  }

  test("single-use links sit on a line of their own in the text part, so clients never break them", () => {
    const reset = templates.find(([name]) => name === "password reset")?.[2];
    expect(reset?.text.split("\n")).toContain(`${BASE}/reset-password?token=ghi`);
  });

  test("the invoice names its PDF and its amounts in both parts", () => {
    const invoice = templates.find(([name]) => name === "invoice")?.[2];
    for (const part of [invoice?.text ?? "", invoice?.html ?? ""]) {
      expect(part).toContain("invoice-INV-0007.pdf");
      expect(part).toContain("€120.00");
      expect(part).toContain("2026-03-31");
    }
  });

  test("a notification with a reply address says that replying adds a comment", () => {
    const notification = templates.find(([name]) => name === "notification")?.[2];
    expect(notification?.text).toContain("Reply to this e-mail to add a comment to the task.");
    expect(notification?.html).toContain("Reply to this e-mail to add a comment to the task.");
  });
});

test("with the organisation's logo, the HTML shows it inline by content id above the name; without it, the name only", () => {
  const props = {
    organizationName: ORG,
    inviterName: null,
    roleName: "Viewer",
    link: `${BASE}/invitations/accept?token=abc`,
  };
  const branded = invitationMail({ ...props, logoCid: "logo@opsbox" });
  expect(branded.html).toContain('<img src="cid:logo@opsbox" alt=""');
  expect(branded.html.indexOf("cid:logo@opsbox")).toBeLessThan(branded.html.indexOf(`>${escapedOrg}</p>`));
  expect(branded.text).not.toContain("cid:");
  expect(invitationMail(props).html).not.toContain("<img");
});

test("the unsubscribe footer joins a template's signature block instead of opening a second one", () => {
  const mail = templates.find(([name]) => name === "notification")?.[2];
  if (!mail) throw new Error("no notification template");
  const sent = withUnsubscribeLink(
    {
      ...mail,
      id: "msg_1",
      messageIdHeader: "<msg_1@acme.test>",
      date: new Date(),
      to: "a@acme.test",
      replyTo: null,
      attachments: [],
    },
    { orgId: newId("org"), toAddress: "a@acme.test", kind: "non_essential" },
    { keyring: createKeyring(new Uint8Array(32).fill(5)), baseUrl: BASE },
  );
  expect(sent.text.match(/^-- $/gm)).toHaveLength(1);
  expect(sent.text).toMatch(/Choose which notifications you get: \S+\nYou can stop these e-mails: \S+\n$/);
});
