import { z } from "zod";
import { inboxAuthMethods, inboxSecurities, inboxStates } from "../../models/mail-inbound.ts";
import { mailOAuthGrantJson } from "../mail/oauth/grant-json.ts";
import { allowedHostName } from "../outbound/outbound-hosts.ts";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1"]);

/** Whether a host name is this machine (a plain connection stays on it). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The inbound mailbox as an admin sets it (PUT /api/v1/mail/inbound and Settings → Inbound mail).
 * The password is write-only: left out, the stored one is kept.
 */
export const inboundMailInput = z
  .object({
    enabled: z.boolean().default(true),
    address: z.email("Enter the mailbox's e-mail address, like inbox@example.com.").max(254),
    host: allowedHostName,
    port: z
      .int("Enter a port from 1 to 65535.")
      .min(1, "Enter a port from 1 to 65535.")
      .max(65535, "Enter a port from 1 to 65535."),
    security: z.enum(inboxSecurities).default("tls"),
    authMethod: z.enum(inboxAuthMethods).default("password"),
    username: z.string().trim().min(1, "Enter the user name of the mailbox.").max(320),
    password: z.string().min(1, "Enter the password.").max(1000).optional(),
    folder: z.string().trim().min(1, "Enter a folder, usually INBOX.").max(200).default("INBOX"),
    deleteAfterImport: z.boolean().default(false),
  })
  .strict()
  .superRefine((input, ctx) => {
    // A password must not cross a network in the clear; a bridge on this machine may go without TLS.
    if (input.security === "none" && !isLoopbackHost(input.host))
      ctx.addIssue({
        code: "custom",
        path: ["security"],
        message: "Without TLS the password would cross the network in the clear: choose TLS or STARTTLS.",
      });
    if (/\+/.test(input.address.split("@")[0] ?? ""))
      ctx.addIssue({ code: "custom", path: ["address"], message: "Enter the address without a +tag." });
  });
export type InboundMailInput = z.infer<typeof inboundMailInput>;

/** The mailbox as GET answers it: never the password, only whether one is stored. */
export const inboundMailJson = z.object({
  configured: z.boolean(),
  enabled: z.boolean(),
  address: z.string().nullable(),
  host: z.string().nullable(),
  port: z.number().nullable(),
  security: z.enum(inboxSecurities),
  authMethod: z.enum(inboxAuthMethods),
  username: z.string().nullable(),
  passwordSet: z.boolean(),
  folder: z.string(),
  deleteAfterImport: z.boolean(),
  /** The Google or Microsoft mailbox connected for `authMethod: "oauth"`; `reconnect` when its grant was revoked. */
  oauth: mailOAuthGrantJson,
  status: z.object({
    state: z.enum(inboxStates),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    lastSyncAt: z.string().nullable(),
  }),
});
export type InboundMailJson = z.infer<typeof inboundMailJson>;
