import { eq } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import type { Db } from "../db.ts";
import { normalizeHostName } from "./outbound-fetch.ts";

/** Instance setting: host names an admin allowed outbound requests to reach on loopback or private addresses. */
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

/** The hosts an admin allowed; an empty list when none were. */
export function findAllowedPrivateHosts(db: Db): string[] {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, ALLOWED_PRIVATE_HOSTS_KEY)).get();
  const parsed = z.array(z.string()).safeParse(row?.value);
  return parsed.success ? parsed.data : [];
}

/** Replaces the list (deduplicated, sorted) and returns it. */
export function saveAllowedPrivateHosts(db: Db, hosts: readonly string[], now = new Date()): string[] {
  const value = [...new Set(hosts.map(normalizeHostName))].sort();
  db.insert(instanceSettings)
    .values({ key: ALLOWED_PRIVATE_HOSTS_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } })
    .run();
  return value;
}
