/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { ProjectOptions } from "../../../views/pages/work/projects/choices.tsx";
import { ProjectPage } from "../../../views/pages/work/projects/detail.tsx";
import { ProjectFormPage, type ProjectFormValues } from "../../../views/pages/work/projects/form.tsx";
import { type ProjectStatusFilter, ProjectsListPage } from "../../../views/pages/work/projects/list.tsx";
import { ProjectMembers } from "../../../views/partials/work/projects/members.tsx";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { validate } from "../../http/validate.ts";
import {
  type FormRefusal,
  type FormSpec,
  type PostedForm,
  readPostedForm,
  validateForm,
} from "../../http/validate-form.ts";
import { addProjectMember, createProject, removeProjectMember, updateProject } from "./changes.ts";
import { orNull } from "./console-kit.ts";
import { projectListPage } from "./console-list.ts";
import {
  blankValues,
  projectFormProps,
  projectMembersProps,
  projectPageProps,
  projectsListProps,
  valuesOfRecord,
} from "./console-props.ts";
import { createProjectInput, projectChoicesQuery, updateProjectInput } from "./schemas.ts";
import { searchOpenProjects } from "./search.ts";
import { findProjectById, type ProjectRecord, projectOrNotFound } from "./service.ts";

const PAGE_SIZE = 50;
const CHOICES_LIMIT = 12;
const listQuery = z.object({
  status: z.enum(["open", "all", "active", "on_hold", "archived"]).catch("open"),
  q: z.string().trim().max(120).catch(""),
  cursor: z.string().max(500).optional().catch(undefined),
});

const newProjectForm: FormSpec<ProjectFormValues> = {
  values: valuesOf,
  input: (values) => ({ ...inputOf(values), template: values.template || undefined }),
  invalid: (c, values, refusal) => renderForm(c, null, values, refusal),
};

const editProjectForm: FormSpec<ProjectFormValues> = {
  values: valuesOf,
  input: inputOf,
  // The form starts again from the current version, keeping what this person typed.
  invalid: (c, values, refusal) =>
    renderForm(c, projectOrNotFound(serviceContext(c), c.req.param("id") ?? ""), values, refusal),
};

const projectStatusInput = z.object({ status: z.enum(["active", "on_hold", "archived"]) });

/** A status other than the three is the error page's 422, as the buttons only send those. */
const statusForm: FormSpec<{ status: string }> = {
  values: (form) => ({ status: form.text("status") }),
  invalid: (c) => {
    projectOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    throw new AppError("validation_failed", "Choose active, on hold or archived.");
  },
};

/** /projects pages: the list, the overview, create and edit, members, archive. */
export const projectsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const query = listQuery.parse(c.req.query());
    const page = projectListPage(serviceContext(c), {
      ...query,
      limit: PAGE_SIZE,
      statuses: statusesOf(query.status),
    });
    const filters = { status: query.status as ProjectStatusFilter, q: query.q };
    return renderPage(
      c,
      { title: "Projects", current: "/projects" },
      <ProjectsListPage {...projectsListProps(c, page, filters)} />,
    );
  })
  .get("/new", requirePermission("projects.manage"), (c) =>
    renderForm(c, null, { ...blankValues, ownerId: serviceContext(c).userId }, {}),
  )
  .post("/", requirePermission("projects.manage"), validateForm(createProjectInput, newProjectForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const record = createProject(serviceContext(c), input);
      return redirectTo(c, `/projects/${record.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  // Before /projects/:id. The task form's project field asks as one types (views/pages/work/tasks/form-project.tsx).
  .get("/choices", requirePermission("workspace.read"), validate("query", projectChoicesQuery), (c) => {
    const { project } = c.req.valid("query");
    const matches = searchOpenProjects(serviceContext(c), project, CHOICES_LIMIT);
    return c.html(<ProjectOptions q={project} projects={matches} />);
  })
  .get("/:id", requirePermission("workspace.read"), (c) => {
    const record = projectOrNotFound(serviceContext(c), c.req.param("id"));
    const props = projectPageProps(c, record);
    return renderPage(c, { title: record.name, current: "/projects" }, <ProjectPage {...props} />);
  })
  .get("/:id/edit", requirePermission("projects.manage"), (c) => {
    const record = projectOrNotFound(serviceContext(c), c.req.param("id"));
    return renderForm(c, record, valuesOfRecord(record), {});
  })
  .post("/:id", requirePermission("projects.manage"), validateForm(updateProjectInput, editProjectForm), (c) => {
    const record = projectOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    const { input, form, refused } = c.req.valid("form");
    try {
      updateProject(serviceContext(c), record.id, input, form.text("etag") || undefined);
      return redirectTo(c, `/projects/${record.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/status", requirePermission("projects.manage"), validateForm(projectStatusInput, statusForm), (c) => {
    const record = projectOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    updateProject(serviceContext(c), record.id, c.req.valid("form").input);
    return redirectTo(c, `/projects/${record.id}`);
  })
  .post("/:id/members", requirePermission("projects.manage"), async (c) => {
    const record = projectOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    const userId = (await readPostedForm(c)).text("userId");
    return changeMembers(c, record, () => {
      addProjectMember(serviceContext(c), record.id, userId);
      return "Member added.";
    });
  })
  .post("/:id/members/:userId/remove", requirePermission("projects.manage"), (c) => {
    const record = projectOrNotFound(serviceContext(c), c.req.param("id"));
    return changeMembers(c, record, () => {
      removeProjectMember(serviceContext(c), record.id, c.req.param("userId"));
      return "Member removed.";
    });
  });

function statusesOf(filter: z.infer<typeof listQuery>["status"]) {
  if (filter === "all") return undefined;
  if (filter === "open") return ["active" as const, "on_hold" as const];
  return [filter];
}

function valuesOf(posted: PostedForm): ProjectFormValues {
  return {
    name: posted.text("name"),
    code: posted.text("code"),
    description: posted.text("description"),
    status: posted.text("status") || "active",
    ownerId: posted.text("ownerId"),
    memberIds: posted.list("memberIds"),
    startDate: posted.text("startDate"),
    targetDate: posted.text("targetDate"),
    template: posted.text("template"),
  };
}

/** The form's strings as the API's input: empty optional fields clear their value. */
function inputOf(values: ProjectFormValues) {
  return {
    name: values.name,
    code: values.code,
    description: values.description,
    status: values.status,
    ownerId: orNull(values.ownerId),
    memberIds: values.memberIds,
    startDate: orNull(values.startDate),
    targetDate: orNull(values.targetDate),
  };
}

function renderForm(
  c: Context<AppEnv>,
  record: ProjectRecord | null,
  values: ProjectFormValues,
  refusal: FormRefusal | Record<string, never>,
) {
  const errors = "errors" in refusal ? refusal.errors : {};
  const status: ContentfulStatusCode = "status" in refusal ? refusal.status : 200;
  return renderPage(
    c,
    { title: record ? `Edit ${record.name}` : "New project", current: "/projects" },
    <ProjectFormPage {...projectFormProps(c, record, values, errors)} />,
    status,
  );
}

/** Adds or removes a member: htmx gets the members section back, a plain form the page. */
function changeMembers(c: Context<AppEnv>, record: ProjectRecord, change: () => string) {
  let notice: string | null = null;
  let error: string | null = null;
  let status: ContentfulStatusCode = 200;
  try {
    notice = change();
  } catch (caught) {
    if (!(caught instanceof AppError) || !isHtmxRequest(c)) throw caught;
    error = caught.details[0]?.message ?? caught.message;
    status = caught.status as ContentfulStatusCode;
  }
  if (!isHtmxRequest(c)) return redirectTo(c, `/projects/${record.id}`);
  const current = findProjectById(serviceContext(c), record.id) ?? record;
  return c.html(<ProjectMembers {...projectMembersProps(c, current)} notice={notice} error={error} />, status);
}
