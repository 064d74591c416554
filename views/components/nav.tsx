/** @jsxImportSource hono/jsx */
/** The capabilities of the console; `href` is null until the capability ships. */
export const navItems: { label: string; href: string | null }[] = [
  { label: "Pulse", href: "/" },
  { label: "Projects", href: "/projects" },
  { label: "Tasks", href: "/tasks" },
  { label: "Approvals", href: "/approvals" },
  { label: "Invoices", href: "/invoices" },
  { label: "Bills", href: "/bills" },
  { label: "Time", href: "/time" },
  { label: "Equipment", href: "/equipment" },
  { label: "Reports", href: "/reports" },
  { label: "Knowledge", href: "/documents" },
  { label: "Assistant", href: "/ask" },
  { label: "Agents", href: "/agents" },
  { label: "Settings", href: "/settings/users" },
];

/** `showSettings`: only people who manage something in Settings see its link. */
export function Nav(props: { current?: string; showSettings?: boolean }) {
  const items = navItems.filter((item) => item.label !== "Settings" || props.showSettings);
  return (
    <nav class="app-nav" aria-label="Main">
      <ul>
        {items.map((item) =>
          item.href ? (
            <li>
              <a href={item.href} aria-current={props.current === item.href ? "page" : undefined}>
                {item.label}
              </a>
            </li>
          ) : (
            <li>
              <span class="nav-soon" aria-disabled="true" title="Coming soon">
                {item.label}
              </span>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
