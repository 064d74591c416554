import { asc, eq } from "drizzle-orm";
import { customers, invoices } from "../../../../models/billing.ts";
import { type MailMessage, mailAttachments, mailMessages } from "../../../../models/mail.ts";
import { timeEntries } from "../../../../models/time.ts";
import { projects } from "../../../../models/work.ts";
import { addPerson } from "../../../agents/test-kit.ts";
import { resolveMembership } from "../../../auth/roles/roles.ts";
import type { ServiceContext } from "../../../auth/sessions/context.ts";
import { createLogger } from "../../../http/logger.ts";
import { insertOrganizations, type JobsKit, jobsKit } from "../../../jobs/test-kit.ts";
import { readStoredBytes } from "../../../mail/attachments.ts";
import { setOrganizationTimeZone } from "../../../organization-time-zone.ts";
import { makeTempDir } from "../../../testing/harness.ts";
import { newId } from "../../../tools/ids.ts";
import { createKeyring } from "../../../tools/secrets.ts";
import { reportSchedulesJob } from "./job.ts";
import type { ReportSendDeps } from "./send.ts";

/** A mail of the outbox with its attached files read back. */
export type SentReport = MailMessage & { files: { fileName: string; contentType: string; bytes: Uint8Array }[] };

/**
 * jobsKit (a database of the test's own and a clock it moves) with two organisations, Acme in
 * Berlin with an admin, a manager, a team lead and a member, and Globex with its own admin.
 */
export type SchedulesKit = JobsKit & {
  deps: ReportSendDeps;
  acme: string;
  globex: string;
  people: { admin: string; mia: string; leo: string; max: string; globexAdmin: string };
  ctx: (userId: string, orgId?: string) => ServiceContext;
  /** A fresh scheduler with the scheduled-reports job (as after a restart), one tick, until its runs end. */
  runJob: () => Promise<void>;
  mails: () => SentReport[];
  addHours: (orgId: string, userId: string, date: string, minutes: number, projectName: string) => void;
  addInvoice: (orgId: string, issueDate: string, total: number) => void;
};

export function schedulesKit(start: string): SchedulesKit {
  const kit = jobsKit(start);
  const acme = "org_acme";
  const globex = "org_globex";
  insertOrganizations(kit.db, [acme, globex]);
  setOrganizationTimeZone(kit.db, acme, "Europe/Berlin", kit.clock.now);
  const deps: ReportSendDeps = {
    db: kit.db,
    log: createLogger("fatal"),
    keyring: createKeyring(new Uint8Array(32).fill(7)),
    dataDir: makeTempDir("opsbox-report-files-"),
    baseUrl: "https://box.example",
  };
  const people = {
    admin: addPerson(kit.db, acme, "Ada", "admin"),
    mia: addPerson(kit.db, acme, "Mia", "manager"),
    leo: addPerson(kit.db, acme, "Leo", "team_lead"),
    max: addPerson(kit.db, acme, "Max", "member"),
    globexAdmin: addPerson(kit.db, globex, "Gus", "admin"),
  };
  const projectIds = new Map<string, string>();
  return {
    ...kit,
    deps,
    acme,
    globex,
    people,
    ctx: (userId, orgId = acme) => {
      const membership = resolveMembership(kit.db, userId, orgId);
      if (!membership) throw new Error(`${userId} is not a member of ${orgId}`);
      return { ...deps, orgId, userId, apiKeyId: null, permissions: membership.permissions, meta: {} };
    },
    runJob: async () => {
      const scheduler = kit.scheduler([reportSchedulesJob(deps)]);
      scheduler.tick();
      await scheduler.idle();
    },
    mails: () =>
      kit.db
        .select()
        .from(mailMessages)
        .orderBy(asc(mailMessages.id))
        .all()
        .map((mail) => ({
          ...mail,
          files: kit.db
            .select()
            .from(mailAttachments)
            .where(eq(mailAttachments.messageId, mail.id))
            .all()
            .map((file) => ({
              fileName: file.fileName,
              contentType: file.contentType,
              bytes: readStoredBytes(deps.dataDir, file.sha256) ?? new Uint8Array(),
            })),
        })),
    addHours: (orgId, userId, date, minutes, projectName) => {
      let projectId = projectIds.get(`${orgId}:${projectName}`);
      if (!projectId) {
        projectId = newId("prj");
        kit.db
          .insert(projects)
          .values({ id: projectId, orgId, name: projectName, code: projectName.slice(0, 3).toUpperCase() })
          .run();
        projectIds.set(`${orgId}:${projectName}`, projectId);
      }
      kit.db
        .insert(timeEntries)
        .values({ id: newId("tem"), orgId, userId, date, minutes, projectId })
        .run();
    },
    addInvoice: (orgId, issueDate, total) => {
      const customerId = newId("cus");
      kit.db.insert(customers).values({ id: customerId, orgId, name: "Customer", currency: "EUR" }).run();
      kit.db
        .insert(invoices)
        .values({
          id: newId("inv"),
          orgId,
          customerId,
          number: `INV-${customerId.slice(-6)}`,
          currency: "EUR",
          issueDate,
          dueDate: issueDate,
          status: "sent",
          subtotal: total,
          total,
        })
        .run();
    },
  };
}
