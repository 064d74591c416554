import { isIP } from "node:net";
import type { Transporter } from "nodemailer";
import { isLoopbackHost } from "./smtp-presets.ts";
import {
  cleanAnswer,
  type MailProvider,
  nodemailerMessageOf,
  type ProviderMessage,
  SEND_TIMEOUT_MS,
  type SendOutcome,
  type TransportSettings,
} from "./types.ts";

type SmtpSettings = Extract<TransportSettings, { provider: "smtp" }>;

export type SmtpOptions = {
  /** Certificates to trust instead of the system's (tests: the fixture's self-signed one). */
  ca?: string;
  /** Connections kept open and used in parallel. */
  maxConnections?: number;
};

/**
 * SMTP through nodemailer, over a small pool of connections kept open between messages. STARTTLS
 * is required unless the settings ask for TLS from the first byte; certificates are checked
 * unless the settings turn that off for a server on this machine (Proton Mail Bridge).
 */
export function smtpProvider(settings: SmtpSettings, options: SmtpOptions = {}): MailProvider {
  // nodemailer on the first message, not at start (about 10 MB resident a box without SMTP never needs).
  let transport: Promise<Transporter> | null = null;
  const transportOf = () => {
    transport ??= import("nodemailer").then(({ default: nodemailer }) =>
      createTransport(nodemailer, settings, options),
    );
    return transport;
  };
  const secrets = [settings.password];

  return {
    name: "smtp",
    send: async (message: ProviderMessage): Promise<SendOutcome> => {
      try {
        const info = await (await transportOf()).sendMail(nodemailerMessageOf(settings, message));
        const answer = cleanAnswer(String(info.response ?? ""), secrets);
        return { status: "sent", providerMessageId: /queued as\s+([^\s;]+)/i.exec(answer)?.[1] ?? null, answer };
      } catch (error) {
        return smtpFailure(error, secrets);
      }
    },
    close: () => {
      void transport?.then((opened) => opened.close());
    },
  };
}

function createTransport(
  nodemailer: typeof import("nodemailer").default,
  settings: SmtpSettings,
  options: SmtpOptions,
): Transporter {
  return nodemailer.createTransport({
    pool: true,
    maxConnections: options.maxConnections ?? 3,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure,
    auth: settings.username ? { user: settings.username, pass: settings.password } : undefined,
    tls: {
      rejectUnauthorized: settings.verifyCertificate,
      // Bun refuses an IP address as the TLS server name, which it takes from the host on STARTTLS;
      // a server on this machine (Proton Mail Bridge at 127.0.0.1) is named localhost instead.
      ...(isIP(settings.host) && isLoopbackHost(settings.host) ? { servername: "localhost" } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
    },
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
}

/** A reply code of 4xx is worth another try, 5xx is final; no reply at all (network, TLS, timeout) is temporary. */
function smtpFailure(error: unknown, secrets: string[]): SendOutcome {
  const failure = error as { responseCode?: number; response?: string; message?: string; code?: string };
  const answer = cleanAnswer(
    failure.response || `${failure.code ? `${failure.code}: ` : ""}${failure.message ?? String(error)}`,
    secrets,
  );
  const code = failure.responseCode ?? 0;
  if (code >= 500 && code < 600) return { status: "permanent_failure", answer };
  return { status: "temporary_failure", answer };
}
