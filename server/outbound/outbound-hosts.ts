import { eq } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import type { Db } from "../db.ts";
import { readOrganizationSetting, writeOrganizationSetting } from "../organization-settings.ts";
import { normalizeHostName } from "./outbound-fetch.ts";

/**
 * Host names that outbound requests may reach on loopback or private addresses. Two lists, both
 * kept by the instance admin: the box-wide one (instance setting) for what the box fetches for
 * itself (model pulls), and one per organisation (organisation setting) for what is fetched on
 * that organisation's behalf (its single sign-on). A host allowed for one organisation is not
 * allowed for another, so no organisation's admin can make the box reach into its own network.
 */
export const ALLOWED_PRIVATE_HOSTS_KEY = "outbound.allowedPrivateHosts";

const HOST_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** One host name or IP address, without scheme, port or path. */
export const allowedHostName = z
  .string()
  .trim()
  .transform(normalizeHostName)
  .refine((host) => HOST_PATTERN.test(host) || z.ipv4().safeParse(host).success || z.ipv6().safeParse(host).success, {
    message: "must be a host name or an IP address, without scheme, port or path",
  });

export const allowedPrivateHostsInput = z.array(allowedHostName).max(50, "at most 50 hosts");

/** The box-wide list (model pulls), never used for a request made on an organisation's behalf. */
export function findAllowedPrivateHosts(db: Db): string[] {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, ALLOWED_PRIVATE_HOSTS_KEY)).get();
  return namesOf(row?.value);
}

/** Replaces the box-wide list (deduplicated, sorted) and returns it. */
export function saveAllowedPrivateHosts(db: Db, hosts: readonly string[], now = new Date()): string[] {
  const value = tidy(hosts);
  db.insert(instanceSettings)
    .values({ key: ALLOWED_PRIVATE_HOSTS_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } })
    .run();
  return value;
}

/** The hosts one organisation's outbound requests (its single sign-on) may reach on a private network. */
export function findOrganizationPrivateHosts(db: Db, orgId: string): string[] {
  return findOrganizationList(db, orgId, ALLOWED_PRIVATE_HOSTS_KEY);
}

/** Replaces one organisation's list (deduplicated, sorted) and returns it. Only the instance admin may call for it. */
export function saveOrganizationPrivateHosts(
  db: Db,
  orgId: string,
  hosts: readonly string[],
  now = new Date(),
): string[] {
  return saveOrganizationList(db, orgId, ALLOWED_PRIVATE_HOSTS_KEY, hosts.map(normalizeHostName), now);
}

/**
 * One organisation's list of names kept under `key` in its settings (private hosts, approved
 * single sign-on domains): what the instance admin vouches for on that organisation's behalf.
 */
export function findOrganizationList(db: Db, orgId: string, key: string): string[] {
  return namesOf(readOrganizationSetting(db, orgId, key));
}

/** Replaces one organisation's list under `key` (deduplicated, sorted) and returns it. */
export function saveOrganizationList(
  db: Db,
  orgId: string,
  key: string,
  values: readonly string[],
  now = new Date(),
): string[] {
  const value = [...new Set(values)].sort();
  writeOrganizationSetting(db, orgId, key, value, now);
  return value;
}

function namesOf(value: unknown): string[] {
  const parsed = z.array(z.string()).safeParse(value);
  return parsed.success ? parsed.data : [];
}

function tidy(hosts: readonly string[]): string[] {
  return [...new Set(hosts.map(normalizeHostName))].sort();
}
