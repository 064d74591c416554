import { afterAll, beforeAll, expect, test } from "bun:test";
import { equipment } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { listEquipmentFacets } from "./service.ts";

let box: TestApp;

beforeAll(async () => {
  box = await startInProcessApp();
});

afterAll(() => box.close());

test("the filters offer each type and location in use once, in order, without empty ones or other organisations'", async () => {
  const { orgId } = await setUpBox(box);
  const other = await createOrganization(box, "Globex");
  const add = (org: string, type: string, location: string) =>
    box.deps.db
      .insert(equipment)
      .values({ id: newId("eqp"), orgId: org, name: `${type} at ${location}`, type, location })
      .run();
  add(orgId, "van", "Yard");
  add(orgId, "Boiler", "");
  add(orgId, "", "Depot");
  add(orgId, "van", "Depot");
  add(orgId, "boiler", "yard");
  add(other.orgId, "crane", "Harbour");
  expect(listEquipmentFacets({ db: box.deps.db, orgId })).toEqual({
    types: ["Boiler", "boiler", "van"],
    locations: ["Depot", "Yard", "yard"],
  });
  expect(listEquipmentFacets({ db: box.deps.db, orgId: other.orgId })).toEqual({
    types: ["crane"],
    locations: ["Harbour"],
  });
});
