/** @jsxImportSource hono/jsx */
/** The sections of Settings, in the order admins look for them. */
export const settingsSections = [
  { href: "/settings/organization", label: "Organisation" },
  { href: "/settings/users", label: "Users and roles" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/security", label: "Security policy" },
  { href: "/settings/privacy", label: "Personal data" },
  { href: "/settings/notifications", label: "Notifications" },
  { href: "/settings/sso", label: "Single sign-on" },
  { href: "/settings/ai", label: "AI models" },
  { href: "/settings/email", label: "E-mail" },
  { href: "/settings/monitoring", label: "Monitoring" },
  { href: "/settings/backups", label: "Backups" },
  { href: "/jobs", label: "Background jobs" },
  { href: "/settings/audit", label: "Audit log" },
  { href: "/settings/outbox", label: "Outbox" },
  { href: "/settings/inbound-mail", label: "Inbound mail" },
  { href: "/settings/logo", label: "Logo" },
];

export function SettingsNav(props: { current: string }) {
  return (
    <nav class="settings-nav" aria-label="Settings">
      <ul>
        {settingsSections.map((section) => (
          <li>
            <a href={section.href} aria-current={props.current === section.href ? "page" : undefined}>
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
