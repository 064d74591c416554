import { afterAll, beforeAll, expect, test } from "bun:test";
import { ssoProviders } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { encryptSecret } from "../../tools/secrets.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startInProcessApp();
  const { orgId } = await setUpBox(box);
  const id = newId("sso");
  box.deps.db
    .insert(ssoProviders)
    .values({
      id,
      orgId,
      kind: "oidc",
      name: "Company Keycloak",
      issuer: "https://id.example.com/realms/acme",
      clientId: "opsbox",
      clientSecretEncrypted: encryptSecret(box.deps.keyring, "s3cret", `sso.client_secret:${id}`),
      domainRules: [],
    })
    .run();
});
afterAll(() => box.close());

test("the sign-in page offers every enabled single sign-on provider, keeping the next path", async () => {
  const html = await (await box.fetch("/sign-in?next=%2Fsettings%2Fusers")).text();
  expect(html).toContain("Company Keycloak");
  expect(html).toMatch(/href="\/auth\/sso\/sso_[0-9a-z]+\/start\?next=%2Fsettings%2Fusers"/);
});
