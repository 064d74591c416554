/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { SettingsNav } from "../../components/settings-nav.tsx";
import { OrganizationSwitcher, type OrganizationSwitcherProps } from "./organization-switcher.tsx";

/** A Settings page: the sections on the side, the organisation switcher above the content. */
export function SettingsFrame(props: { current: string; switcher: OrganizationSwitcherProps; children: Child }) {
  return (
    <div class="settings-layout">
      <SettingsNav current={props.current} />
      <div class="settings-content">
        <OrganizationSwitcher {...props.switcher} />
        {props.children}
      </div>
    </div>
  );
}
