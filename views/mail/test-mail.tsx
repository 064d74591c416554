/** @jsxImportSource hono/jsx */
import { MailLayout, MailParagraph, mailHtml, mailText, type RenderedMail } from "./layout.tsx";

/** "Send a test message": proves the provider works, with both parts as every other e-mail has them. */
export function testMail(props: { sentBy: string; provider: string }): RenderedMail {
  const subject = "Opsbox test message";
  const lines = [
    `This is a test message from Opsbox, sent by ${props.sentBy} through ${props.provider}.`,
    "If you can read it, e-mail delivery works.",
  ];
  const html = (
    <MailLayout organization="Opsbox" title={subject}>
      {lines.map((line) => (
        <MailParagraph>{line}</MailParagraph>
      ))}
    </MailLayout>
  );
  return { subject, text: mailText("Opsbox", lines), html: mailHtml(html) };
}
