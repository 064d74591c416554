/** @jsxImportSource hono/jsx */
import { describe, expect, test } from "bun:test";
import { Layout, type LayoutProps } from "./layout.tsx";

// The layout reuses its rendered head and navigation (rendered-once.ts): what differs between
// pages and people must still differ.
function page(props: Omit<LayoutProps, "children">): string {
  return `${<Layout {...props}>{"body"}</Layout>}`;
}

const ada = { name: "Ada Lovelace", email: "ada@example.com", csrf: "token-a", showSettings: true };
const bob = { name: "Bob <Builder>", email: "bob@example.com", csrf: "token-b", showSettings: false };

describe("the layout", () => {
  test("marks the current section, page after page", () => {
    const tasks = page({ title: "Tasks", current: "/tasks", user: ada });
    const projects = page({ title: "Projects", current: "/projects", user: ada });
    expect(tasks).toContain('<a href="/tasks" aria-current="page">Tasks</a>');
    expect(tasks).not.toContain('<a href="/projects" aria-current="page">');
    expect(projects).toContain('<a href="/projects" aria-current="page">Projects</a>');
    expect(projects).not.toContain('<a href="/tasks" aria-current="page">');
  });

  test("shows each person their own menu, Settings only to those who manage something", () => {
    const first = page({ title: "Tasks", current: "/tasks", user: ada });
    const second = page({ title: "Tasks", current: "/tasks", user: bob });
    expect(first).toContain("Ada Lovelace");
    expect(first).toContain('value="token-a"');
    expect(first).toContain('href="/settings/users"');
    expect(second).toContain("Bob &lt;Builder&gt;");
    expect(second).not.toContain("Ada Lovelace");
    expect(second).toContain('value="token-b"');
    expect(second).not.toContain('href="/settings/users"');
  });

  test("escapes the title and has no navigation or search on bare pages", () => {
    const bare = page({ title: "<Setup>", bare: true });
    expect(bare).toContain("<title>&lt;Setup&gt; · Opsbox</title>");
    expect(bare).not.toContain('class="app-nav"');
    expect(bare).not.toContain("global-search");
    const signedIn = page({ title: "Tasks", current: "/tasks", user: ada });
    expect(signedIn).toContain('id="global-search"');
    expect(signedIn).toMatch(/\/static\/search\.[0-9a-f]{8}\.js/);
    expect(bare).not.toContain("/static/search.");
  });
});
