import { rmSync } from "node:fs";
import { type ApprovalStepSpec, approvalPipelines, approvalRequests } from "../../models/approvals.ts";
import { memberships, users } from "../../models/identity.ts";
import { projects, tasks } from "../../models/work.ts";
import type { Db } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { insertOrganizations, type JobsKit, jobsKit } from "../jobs/test-kit.ts";
import { writeOrganizationSetting } from "../organization-settings.ts";
import { makeTempDir } from "../testing/harness.ts";
import { newId } from "../tools/ids.ts";
import { createKeyring } from "../tools/secrets.ts";
import { agentJobs } from "./registry.ts";
import type { AgentDeps } from "./run.ts";
import { ENABLED_KEY } from "./settings.ts";

const HOUR = 3_600_000;

/** jobsKit (a database of the test's own and a clock it moves) with the agents' jobs and some people. */
export type AgentsKit = JobsKit & {
  deps: AgentDeps;
  orgId: string;
  people: { ada: string; bo: string; admin: string };
  scheduler: () => ReturnType<JobsKit["scheduler"]>;
  addTask: (input: {
    title: string;
    quietHours: number;
    assigneeId?: string | null;
    projectId?: string | null;
  }) => string;
  addProject: (code: string, ownerId: string | null) => string;
  addApproval: (title: string, waitingHours: number, approverUserId: string) => string;
  enable: (...agents: string[]) => void;
};

export function addPerson(db: Db, orgId: string, name: string, role: string): string {
  const id = newId("usr");
  db.insert(users)
    .values({ id, email: `${name.toLowerCase()}@${orgId}.test`, name, status: "active" })
    .run();
  db.insert(memberships)
    .values({ id: newId("mem"), orgId, userId: id, role })
    .run();
  return id;
}

export function agentsKit(start = "2030-01-07T10:30:00Z"): AgentsKit {
  const kit = jobsKit(start);
  const orgId = "org_a";
  insertOrganizations(kit.db, [orgId, "org_b"]);
  const dataDir = makeTempDir("opsbox-agents-data-");
  const deps: AgentDeps = {
    db: kit.db,
    log: createLogger("fatal"),
    keyring: createKeyring(new Uint8Array(32).fill(7)),
    baseUrl: "https://box.example",
    dataDir,
  };
  const people = {
    ada: addPerson(kit.db, orgId, "Ada", "member"),
    bo: addPerson(kit.db, orgId, "Bo", "team_lead"),
    admin: addPerson(kit.db, orgId, "Admin", "admin"),
  };
  const ago = (hours: number) => new Date(kit.clock.now.getTime() - hours * HOUR);
  return {
    ...kit,
    close: () => {
      kit.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    deps,
    orgId,
    people,
    scheduler: () => kit.scheduler(agentJobs(deps)),
    addTask: (input) => {
      const id = newId("tsk");
      kit.db
        .insert(tasks)
        .values({
          id,
          orgId,
          title: input.title,
          assigneeId: input.assigneeId ?? null,
          projectId: input.projectId ?? null,
          lastActivityAt: ago(input.quietHours),
        })
        .run();
      return id;
    },
    addProject: (code, ownerId) => {
      const id = newId("prj");
      kit.db.insert(projects).values({ id, orgId, name: code, code, ownerId }).run();
      return id;
    },
    addApproval: (title, waitingHours, approverUserId) => {
      const pipelineId = newId("apl");
      kit.db
        .insert(approvalPipelines)
        .values({ id: pipelineId, orgId, name: `${title} pipeline` })
        .run();
      const step: ApprovalStepSpec = {
        name: "Check",
        approverType: "user",
        approverUserId,
        approverRole: null,
        rule: "any",
      };
      const id = newId("apr");
      kit.db
        .insert(approvalRequests)
        .values({ id, orgId, pipelineId, subjectType: "other", title, steps: [step], createdAt: ago(waitingHours) })
        .run();
      return id;
    },
    enable: (...agents) => writeOrganizationSetting(kit.db, orgId, ENABLED_KEY, agents, kit.clock.now),
  };
}
