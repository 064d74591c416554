import { afterAll, beforeAll, expect, test } from "bun:test";
import { organizations } from "../../models/identity.ts";
import { type MailInbox, mailInboxes } from "../../models/mail-inbound.ts";
import { mailOAuthGrants } from "../../models/mail-oauth.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../db.ts";
import { beginMailOAuth, finishMailOAuth } from "../mail/oauth/connect.ts";
import { grantKeyFor } from "../mail/oauth/grants.ts";
import { GrantNeedsReconnect } from "../mail/oauth/tokens.ts";
import { migrate } from "../migrate.ts";
import { makeTempDir } from "../testing/harness.ts";
import { type FakeMailApis, startFakeMailApis } from "../testing/oauth-mail-apis.ts";
import { createKeyring, encryptSecret } from "../tools/secrets.ts";
import { imapAuthFor } from "./imap-auth.ts";

/* What imapflow is handed to sign in: `{ user, pass }` or `{ user, accessToken }` (SASL XOAUTH2). */

const keyring = createKeyring(new Uint8Array(32).fill(5));
const ORG = "org_imapauth";
let db: Db;
let apis: FakeMailApis;
beforeAll(() => {
  db = openDatabase(databasePath(makeTempDir()));
  migrate(db);
  db.insert(organizations)
    .values({ id: ORG, name: "Acme", industry: "general", complianceLevel: "standard", policy: {} })
    .run();
  apis = startFakeMailApis({ account: "inbox@acme.test" });
});
afterAll(() => {
  apis.stop();
  closeDatabase(db);
});

const store = () => ({ db, keyring, endpoints: apis.endpoints });
const inbox = (authMethod: "password" | "oauth"): MailInbox =>
  db
    .insert(mailInboxes)
    .values({
      orgId: ORG,
      address: "inbox@acme.test",
      host: "imap.gmail.com",
      port: 993,
      security: "tls",
      authMethod,
      username: "inbox@acme.test",
      passwordEncrypted: encryptSecret(keyring, "app-password", `mail_inboxes.password:${ORG}`),
    })
    .onConflictDoUpdate({ target: mailInboxes.orgId, set: { authMethod } })
    .returning()
    .get();

test("a password mailbox signs in with its password", async () => {
  expect(await imapAuthFor(store(), inbox("password"))).toEqual({ user: "inbox@acme.test", pass: "app-password" });
});

test("an OAuth mailbox gets the organisation's access token, refreshed when it has run out or the server refused it", async () => {
  const key = grantKeyFor("inbound", ORG);
  const request = {
    key,
    orgId: ORG,
    purpose: "inbound" as const,
    provider: "google" as const,
    tenant: null,
    clientId: "client",
    clientSecret: "secret",
    loginHint: null,
  };
  const { flow } = beginMailOAuth(store(), request, "https://box.acme.test");
  await finishMailOAuth(store(), flow, "code", "https://box.acme.test");
  const first = await imapAuthFor(store(), inbox("oauth"));
  expect(first).toEqual({ user: "inbox@acme.test", accessToken: expect.stringMatching(/^access-\d+$/) });
  expect(apis.requestsTo("/google/token")).toHaveLength(1);

  db.update(mailOAuthGrants)
    .set({ accessTokenExpiresAt: new Date(Date.now() - 1) })
    .run();
  const refreshed = await imapAuthFor(store(), inbox("oauth"));
  expect(refreshed).not.toEqual(first);
  expect(apis.requestsTo("/google/token")[1]?.form?.get("grant_type")).toBe("refresh_token");

  const forced = await imapAuthFor(store(), inbox("oauth"), { force: true });
  expect(forced).not.toEqual(refreshed);
  expect(apis.requestsTo("/google/token")).toHaveLength(3);
});

test("a revoked grant asks for reconnecting instead of signing in", async () => {
  apis.answers.set("/google/token", [{ status: 400, body: '{"error":"invalid_grant"}' }]);
  const error = await imapAuthFor(store(), inbox("oauth"), { force: true }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(GrantNeedsReconnect);
  await expect(imapAuthFor(store(), inbox("oauth"))).rejects.toThrow("invalid_grant");
});
