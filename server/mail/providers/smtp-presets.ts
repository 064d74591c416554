/** An SMTP service's documented submission settings, filled in when an admin picks it. */
export type SmtpPreset = {
  label: string;
  host: string;
  port: number;
  secure: boolean;
  verifyCertificate: boolean;
  hint: string;
};

/**
 * The SMTP presets the settings page and the API offer. `custom` has no defaults. Gmail, Yahoo,
 * Zoho and iCloud want an app password when two-step sign-in is on; Proton Mail is reached
 * through Proton Mail Bridge on this machine, whose certificate is its own (self-signed).
 */
export const smtpPresets = {
  gmail: {
    label: "Gmail / Google Workspace",
    host: "smtp.gmail.com",
    port: 587,
    secure: false,
    verifyCertificate: true,
    hint: "User name: the full address. Password: an app password (Google account → Security → App passwords).",
  },
  outlook: {
    label: "Outlook / Microsoft 365",
    host: "smtp.office365.com",
    port: 587,
    secure: false,
    verifyCertificate: true,
    hint: "User name: the full address. SMTP AUTH must be enabled for the mailbox in Microsoft 365.",
  },
  yahoo: {
    label: "Yahoo Mail",
    host: "smtp.mail.yahoo.com",
    port: 465,
    secure: true,
    verifyCertificate: true,
    hint: "User name: the full address. Password: an app password from Yahoo's account security page.",
  },
  proton: {
    label: "Proton Mail (through Proton Mail Bridge)",
    host: "127.0.0.1",
    port: 1025,
    secure: false,
    verifyCertificate: false,
    hint: "User name and password: the ones Bridge shows for the mailbox (not your Proton password).",
  },
  zoho: {
    label: "Zoho Mail",
    host: "smtp.zoho.com",
    port: 465,
    secure: true,
    verifyCertificate: true,
    hint: "User name: the full address. Password: an app-specific password when two-factor is on.",
  },
  icloud: {
    label: "iCloud Mail",
    host: "smtp.mail.me.com",
    port: 587,
    secure: false,
    verifyCertificate: true,
    hint: "User name: the iCloud address. Password: an app-specific password from appleid.apple.com.",
  },
} as const satisfies Record<string, SmtpPreset>;

export type SmtpPresetName = keyof typeof smtpPresets | "custom";
export const smtpPresetNames = ["custom", ...Object.keys(smtpPresets)] as [SmtpPresetName, ...SmtpPresetName[]];

/** Whether `host` names this machine: the only place a server may go without certificate checks. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  return name === "localhost" || name === "::1" || name === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(name);
}
