import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { memberships, users } from "../../../models/identity.ts";
import { saveOrganizationPrivateHosts } from "../../outbound/outbound-hosts.ts";
import { freePort, type TestApp } from "../../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { signInAtProvider, startOidcProvider, type TestOidcProvider } from "../../testing/oidc-test-provider.ts";
import { apiAs, postForm } from "../people/people-test-kit.ts";
import { findApprovedDomains } from "./sso-domains.ts";

/**
 * Issue 11: a domain rule makes accounts, with its organisation as their home, only for a domain
 * the box's instance admin approved for that organisation. Acme's admin set the box up (the
 * instance admin); Globex's admin is an organisation admin like any other.
 */

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let idp: TestOidcProvider;
let globexProvider = "";
let instanceAdmin = "";
let globexAdmin = "";

type PublicProvider = {
  id: string;
  redirectUri: string;
  domainRules: { domain: string; role: string; approved: boolean }[];
};

beforeAll(async () => {
  const port = freePort();
  box = await startInProcessApp({ env: { PORT: String(port), OPSBOX_BASE_URL: `http://127.0.0.1:${port}` } });
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  instanceAdmin = sessionCookie(box, acme.adminId, acme.orgId);
  globexAdmin = sessionCookie(box, globex.adminId, globex.orgId);
  const created = await apiAs(box, globexAdmin)("POST", "/api/v1/sso-providers", {
    kind: "oidc",
    name: "Globex Login",
    issuer: "https://login.globex.test",
    clientId: "opsbox-test",
    clientSecret: "globex-secret",
    domainRules: [{ domain: "globex.test", role: "member" }],
  });
  expect(created.status).toBe(201);
  const provider = (await created.json()) as PublicProvider;
  globexProvider = provider.id;
  idp = await startOidcProvider({
    redirectUris: [provider.redirectUri],
    clientSecret: "globex-secret",
    accounts: {
      nina: { email: "nina@globex.test", email_verified: true, name: "Nina" },
      otto: { email: "otto@globex.test", email_verified: true, name: "Otto" },
      stranger: { email: "someone@elsewhere.test", email_verified: true },
    },
  });
  const pointed = await apiAs(box, globexAdmin)("PATCH", `/api/v1/sso-providers/${globexProvider}`, {
    issuer: idp.issuer,
  });
  expect(pointed.status).toBe(200);
  saveOrganizationPrivateHosts(box.deps.db, globex.orgId, ["127.0.0.1"]);
});
afterAll(async () => {
  await idp?.close();
  await box?.close();
});

async function signInThrough(providerId: string, login: string): Promise<Response> {
  const started = await box.fetch(`/auth/sso/${providerId}/start`);
  expect(started.status).toBe(302);
  const flow = started.headers.getSetCookie().find((line) => line.startsWith("opsbox_sso_flow=")) ?? "";
  const callback = await signInAtProvider(started.headers.get("Location") ?? "", login);
  return box.fetch(`${callback.pathname}${callback.search}`, { headers: { Cookie: flow.split(";")[0] ?? "" } });
}

/** The refusal page's sentence, with the address taken out. */
async function refusalOf(response: Response): Promise<string | undefined> {
  return /<p>([^<]*)<\/p>/.exec(await response.text())?.[1]?.replace(/[\w.+-]+@[\w.-]+/, "ADDRESS");
}

function accountOf(email: string) {
  return box.deps.db.select().from(users).where(eq(users.email, email)).get();
}

function approvalsIn(orgId: string) {
  return box.deps.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, "sso.domains_approved_changed")))
    .all();
}

async function providerJson(cookie: string, id: string): Promise<PublicProvider> {
  return (await (await apiAs(box, cookie)("GET", `/api/v1/sso-providers/${id}`)).json()) as PublicProvider;
}

describe("a domain rule waits for the instance admin", () => {
  test("an organisation admin's rule is saved but waits: the API and the page say so", async () => {
    expect((await providerJson(globexAdmin, globexProvider)).domainRules).toEqual([
      { domain: "globex.test", role: "member", approved: false },
    ]);
    const page = await (await box.fetch("/settings/sso", { headers: { Cookie: globexAdmin } })).text();
    expect(page).toContain("globex.test → member");
    expect(page).toContain("waits for the instance admin&#39;s approval");
    expect(page).toContain("Only the instance admin of this box may vouch that an organisation owns a domain");
    expect(page).toContain("No domain is approved for Globex&#39;s domain rules yet.");
    expect(page).not.toContain('name="domains"');
    expect(page).not.toContain(acme.orgId);
    expect(page).not.toContain("Acme Ltd");
  });

  test("until then the rule makes no account, and the refusal reads like that of any other address", async () => {
    const waiting = await signInThrough(globexProvider, "nina");
    expect(waiting.status).toBe(403);
    expect(accountOf("nina@globex.test")).toBeUndefined();
    const stranger = await signInThrough(globexProvider, "stranger");
    expect(await refusalOf(waiting)).toBe(await refusalOf(stranger));
  });

  test("an organisation admin cannot approve a domain, for its own organisation or another (403)", async () => {
    const attempts: Record<string, string>[] = [
      { domains: "globex.test" },
      { scope: globex.orgId, domains: "globex.test" },
    ];
    for (const fields of attempts) {
      expect((await postForm(box, globexAdmin, "/settings/sso/approved-domains", fields)).status).toBe(403);
    }
    const forAcme = await postForm(box, globexAdmin, "/settings/sso/approved-domains", {
      scope: acme.orgId,
      domains: "globex.test",
    });
    expect(forAcme.status).toBe(403);
    expect(findApprovedDomains(box.deps.db, globex.orgId)).toEqual([]);
    expect(findApprovedDomains(box.deps.db, acme.orgId)).toEqual([]);
    // Nor through the API: a provider's rule never approves itself for anyone but the instance admin.
    const patched = await apiAs(box, globexAdmin)("PATCH", `/api/v1/sso-providers/${globexProvider}`, {
      domainRules: [{ domain: "globex.test", role: "viewer", approved: true }],
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as PublicProvider).domainRules[0]?.approved).toBe(false);
    expect(findApprovedDomains(box.deps.db, globex.orgId)).toEqual([]);
  });

  test("the instance admin's form hands back a bad domain with its error; an unknown organisation is 404", async () => {
    const page = await (await box.fetch("/settings/sso", { headers: { Cookie: instanceAdmin } })).text();
    expect(page).toContain(`value="${globex.orgId}"`);
    expect(page).toContain("Save domains for Globex");
    const bad = await postForm(box, instanceAdmin, "/settings/sso/approved-domains", {
      scope: globex.orgId,
      domains: "globex.test\nhttps://not a domain",
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("globex.test\nhttps://not a domain</textarea>");
    expect(html).toContain("must be an e-mail domain such as example.com (line 2)");
    const unknown = await postForm(box, instanceAdmin, "/settings/sso/approved-domains", {
      scope: "org_nosuchthing",
      domains: "globex.test",
    });
    expect(unknown.status).toBe(404);
    expect(findApprovedDomains(box.deps.db, globex.orgId)).toEqual([]);
  });

  test("once the instance admin approves the domain, the same sign-in makes the account; audited in Globex", async () => {
    const approved = await postForm(box, instanceAdmin, "/settings/sso/approved-domains", {
      scope: globex.orgId,
      domains: "Globex.test",
    });
    expect(approved.status).toBe(200);
    expect(await approved.text()).toContain("Globex&#39;s domain rules may make accounts at: globex.test.");
    expect(approvalsIn(globex.orgId).map((event) => [event.actorUserId, event.details])).toEqual([
      [acme.adminId, { domains: ["globex.test"], added: ["globex.test"], removed: [] }],
    ]);
    expect(approvalsIn(acme.orgId)).toEqual([]);
    expect((await providerJson(globexAdmin, globexProvider)).domainRules[0]?.approved).toBe(true);
    const page = await (await box.fetch("/settings/sso", { headers: { Cookie: globexAdmin } })).text();
    expect(page).not.toContain("waits for the instance admin");
    expect(page).toContain("Globex&#39;s domain rules may make accounts at: globex.test.");

    const response = await signInThrough(globexProvider, "nina");
    expect(response.status).toBe(303);
    const nina = accountOf("nina@globex.test");
    expect(nina).toMatchObject({ homeOrgId: globex.orgId, passwordHash: null });
    const membership = box.deps.db
      .select()
      .from(memberships)
      .where(eq(memberships.userId, nina?.id ?? ""))
      .all();
    expect(membership.map((row) => [row.orgId, row.role])).toEqual([[globex.orgId, "viewer"]]);
  });

  test("withdrawing the domain stops new accounts there again", async () => {
    const withdrawn = await postForm(box, instanceAdmin, "/settings/sso/approved-domains", {
      scope: globex.orgId,
      domains: "",
    });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.text()).toContain("Globex&#39;s domain rules make no accounts: no domain is approved.");
    expect(approvalsIn(globex.orgId).at(-1)?.details).toEqual({ domains: [], added: [], removed: ["globex.test"] });
    expect((await signInThrough(globexProvider, "otto")).status).toBe(403);
    expect(accountOf("otto@globex.test")).toBeUndefined();
  });

  test("the instance admin's own rules are approved for its organisation at once", async () => {
    const created = await apiAs(box, instanceAdmin)("POST", "/api/v1/sso-providers", {
      kind: "google",
      name: "Acme Google",
      clientId: "acme.apps.googleusercontent.com",
      clientSecret: "acme-secret",
      domainRules: [{ domain: "acme.test", role: "member" }],
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as PublicProvider).domainRules).toEqual([
      { domain: "acme.test", role: "member", approved: true },
    ]);
    expect(findApprovedDomains(box.deps.db, acme.orgId)).toEqual(["acme.test"]);
    expect(approvalsIn(acme.orgId).map((event) => event.details)).toEqual([
      { domains: ["acme.test"], added: ["acme.test"], removed: [] },
    ]);
    expect(findApprovedDomains(box.deps.db, globex.orgId)).toEqual([]);
  });
});
