import { type AgentId, agentIds } from "../../models/agents.ts";

/** The agents an organisation can switch on: exactly those this box runs (server/agents/registry.ts). */
export const builtInAgents = agentIds;
export type BuiltInAgent = AgentId;

export const industries = [
  "general",
  "agriculture",
  "legal",
  "finance",
  "healthcare",
  "manufacturing",
  "retail",
] as const;
export type Industry = (typeof industries)[number];

export type ApprovalPipelineTemplate = { name: string; subject: string; steps: { approverRole: string }[] };

/** What an industry template seeds into a new organisation. */
export type IndustryTemplate = {
  label: string;
  approvalPipelines: ApprovalPipelineTemplate[];
  projectTemplates: { name: string; tasks: string[] }[];
  documentCategories: string[];
  suggestedAgents: BuiltInAgent[];
  suggestedCompliance: "basic" | "soc2" | "enterprise";
};

const invoiceApproval = (steps: string[]): ApprovalPipelineTemplate => ({
  name: "Invoice approval",
  subject: "invoice",
  steps: steps.map((approverRole) => ({ approverRole })),
});
const timesheetApproval: ApprovalPipelineTemplate = {
  name: "Timesheet approval",
  subject: "timesheet",
  steps: [{ approverRole: "team_lead" }],
};
// Where the Document inbox is suggested: the bills it reads from documents go to this pipeline.
const billApproval: ApprovalPipelineTemplate = {
  name: "Bill approval",
  subject: "bill",
  steps: [{ approverRole: "manager" }],
};
const common = ["Policies", "Contracts", "Invoices", "Manuals"];

export const industryTemplates: Record<Industry, IndustryTemplate> = {
  general: {
    label: "General business",
    approvalPipelines: [invoiceApproval(["manager"]), timesheetApproval],
    projectTemplates: [{ name: "Client project", tasks: ["Kick-off", "Plan", "Deliver", "Invoice"] }],
    documentCategories: common,
    suggestedAgents: ["stuck-tasks", "approval-nudger", "daily-digest", "invoice-follow-up"],
    suggestedCompliance: "basic",
  },
  agriculture: {
    label: "Agriculture",
    approvalPipelines: [invoiceApproval(["manager"]), timesheetApproval],
    projectTemplates: [{ name: "Season plan", tasks: ["Soil tests", "Planting", "Spraying schedule", "Harvest"] }],
    documentCategories: [...common, "Equipment manuals", "Safety data sheets", "Field records"],
    suggestedAgents: ["stuck-tasks", "daily-digest"],
    suggestedCompliance: "basic",
  },
  legal: {
    label: "Legal",
    approvalPipelines: [invoiceApproval(["manager", "admin"]), timesheetApproval],
    projectTemplates: [
      { name: "Matter", tasks: ["Conflict check", "Engagement letter", "Research", "Filing", "Billing"] },
    ],
    documentCategories: [...common, "Case files", "Correspondence", "Court filings"],
    suggestedAgents: ["stuck-tasks", "approval-nudger", "timesheet-drafter", "invoice-follow-up"],
    suggestedCompliance: "soc2",
  },
  finance: {
    label: "Finance and accounting",
    approvalPipelines: [invoiceApproval(["manager", "admin"]), timesheetApproval, billApproval],
    projectTemplates: [{ name: "Client engagement", tasks: ["Onboarding", "Data collection", "Review", "Sign-off"] }],
    documentCategories: [...common, "Statements", "Tax filings", "Audit evidence"],
    suggestedAgents: ["approval-nudger", "invoice-follow-up", "document-parser"],
    suggestedCompliance: "enterprise",
  },
  healthcare: {
    label: "Healthcare",
    approvalPipelines: [invoiceApproval(["manager"]), timesheetApproval],
    projectTemplates: [{ name: "Clinic improvement", tasks: ["Assess", "Plan", "Train staff", "Review"] }],
    documentCategories: [...common, "Clinical protocols", "Equipment manuals", "Training records"],
    suggestedAgents: ["stuck-tasks", "approval-nudger", "daily-digest"],
    suggestedCompliance: "enterprise",
  },
  manufacturing: {
    label: "Manufacturing",
    approvalPipelines: [
      invoiceApproval(["manager"]),
      timesheetApproval,
      billApproval,
      {
        name: "Purchase approval",
        subject: "purchase",
        steps: [{ approverRole: "team_lead" }, { approverRole: "manager" }],
      },
    ],
    projectTemplates: [{ name: "Production run", tasks: ["Materials", "Setup", "Run", "Quality check", "Ship"] }],
    documentCategories: [...common, "Equipment manuals", "Work instructions", "Quality records"],
    suggestedAgents: ["stuck-tasks", "document-parser"],
    suggestedCompliance: "soc2",
  },
  retail: {
    label: "Retail",
    approvalPipelines: [
      invoiceApproval(["manager"]),
      timesheetApproval,
      billApproval,
      { name: "Purchase approval", subject: "purchase", steps: [{ approverRole: "manager" }] },
    ],
    projectTemplates: [{ name: "Store opening", tasks: ["Lease", "Fit-out", "Stock", "Staff", "Open"] }],
    documentCategories: [...common, "Supplier agreements", "Price lists"],
    suggestedAgents: ["stuck-tasks", "approval-nudger", "document-parser"],
    suggestedCompliance: "basic",
  },
};
