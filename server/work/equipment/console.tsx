/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { equipmentStatuses } from "../../../models/work.ts";
import { EquipmentPage } from "../../../views/pages/work/equipment/detail.tsx";
import { EquipmentFormPage, type EquipmentFormValues } from "../../../views/pages/work/equipment/form.tsx";
import { EquipmentListPage } from "../../../views/pages/work/equipment/list.tsx";
import { renderPage } from "../../console/render.tsx";
import { readUntilWrite } from "../../db-read-cache.ts";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import {
  type FormRefusal,
  type FormSpec,
  type PostedForm,
  readPostedForm,
  validateForm,
} from "../../http/validate-form.ts";
import { orNull } from "../projects/console-kit.ts";
import {
  createEquipment,
  deleteEquipment,
  linkEquipmentProject,
  unlinkEquipmentProject,
  updateEquipment,
} from "./changes.ts";
import {
  blankValues,
  equipmentFormProps,
  equipmentListProps,
  equipmentPageProps,
  valuesOfRecord,
} from "./console-props.ts";
import { createEquipmentInput, updateEquipmentInput } from "./schemas.ts";
import { type EquipmentRecord, equipmentOrNotFound, listEquipment } from "./service.ts";

const listQuery = z.object({
  status: z.enum(["", ...equipmentStatuses]).catch(""),
  type: z.string().trim().max(60).catch(""),
  location: z.string().trim().max(120).catch(""),
  q: z.string().trim().max(120).catch(""),
  cursor: z.string().max(500).optional().catch(undefined),
});

const newEquipmentForm: FormSpec<EquipmentFormValues> = {
  values: valuesOf,
  input: inputOf,
  invalid: (c, values, refusal) => renderForm(c, null, values, refusal),
};

const editEquipmentForm: FormSpec<EquipmentFormValues> = {
  values: valuesOf,
  input: inputOf,
  // Drawn from the current version, keeping what this person typed.
  invalid: (c, values, refusal) =>
    renderForm(c, equipmentOrNotFound(serviceContext(c), c.req.param("id") ?? ""), values, refusal),
};

/** /equipment pages: the list with warranty highlights, one item's page, create, edit, project links. */
export const equipmentConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const ctx = serviceContext(c);
    const { cursor, ...filters } = listQuery.parse({ status: "", type: "", location: "", q: "", ...c.req.query() });
    const read = () =>
      listEquipment(ctx, {
        limit: 50,
        cursor,
        status: filters.status ? [filters.status] : undefined,
        type: filters.type || undefined,
        location: filters.location || undefined,
        q: filters.q || undefined,
      });
    // The unfiltered first page is the same for every reader of the organisation: kept until the next write.
    const unfiltered = cursor === undefined && !filters.status && !filters.type && !filters.location && !filters.q;
    const page = unfiltered ? readUntilWrite(ctx.db, `equipment.consolePage:${ctx.orgId}`, read) : read();
    return renderPage(
      c,
      { title: "Equipment", current: "/equipment" },
      <EquipmentListPage {...equipmentListProps(c, page, filters)} />,
    );
  })
  .get("/new", requirePermission("projects.manage"), (c) => renderForm(c, null, blankValues, {}))
  .post("/", requirePermission("projects.manage"), validateForm(createEquipmentInput, newEquipmentForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const record = createEquipment(serviceContext(c), input);
      return redirectTo(c, `/equipment/${record.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .get("/:id", requirePermission("workspace.read"), (c) => {
    const record = equipmentOrNotFound(serviceContext(c), c.req.param("id"));
    return renderPage(
      c,
      { title: record.name, current: "/equipment" },
      <EquipmentPage {...equipmentPageProps(c, record)} />,
    );
  })
  .get("/:id/edit", requirePermission("projects.manage"), (c) => {
    const record = equipmentOrNotFound(serviceContext(c), c.req.param("id"));
    return renderForm(c, record, valuesOfRecord(record), {});
  })
  .post("/:id", requirePermission("projects.manage"), validateForm(updateEquipmentInput, editEquipmentForm), (c) => {
    const record = equipmentOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    const { input, form, refused } = c.req.valid("form");
    try {
      updateEquipment(serviceContext(c), record.id, input, form.text("etag") || undefined);
      return redirectTo(c, `/equipment/${record.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/delete", requirePermission("projects.manage"), (c) => {
    deleteEquipment(serviceContext(c), equipmentOrNotFound(serviceContext(c), c.req.param("id")).id);
    return redirectTo(c, "/equipment");
  })
  .post("/:id/projects", requirePermission("projects.manage"), async (c) => {
    const record = equipmentOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    linkEquipmentProject(serviceContext(c), record.id, (await readPostedForm(c)).text("projectId"));
    return redirectTo(c, `/equipment/${record.id}`);
  })
  .post("/:id/projects/:projectId/remove", requirePermission("projects.manage"), (c) => {
    const record = equipmentOrNotFound(serviceContext(c), c.req.param("id"));
    unlinkEquipmentProject(serviceContext(c), record.id, c.req.param("projectId"));
    return redirectTo(c, `/equipment/${record.id}`);
  });

function valuesOf(posted: PostedForm): EquipmentFormValues {
  const values = { ...blankValues };
  for (const key of Object.keys(blankValues) as (keyof EquipmentFormValues)[]) {
    if (key !== "projectIds") values[key] = posted.text(key);
  }
  return { ...values, status: values.status || "in_service", projectIds: posted.list("projectIds") };
}

/** The form's strings as the API's input: emptied dates clear their value. */
function inputOf(values: EquipmentFormValues) {
  return { ...values, purchaseDate: orNull(values.purchaseDate), warrantyEnd: orNull(values.warrantyEnd) };
}

function renderForm(
  c: Context<AppEnv>,
  record: EquipmentRecord | null,
  values: EquipmentFormValues,
  refusal: FormRefusal | Record<string, never>,
) {
  const errors = "errors" in refusal ? refusal.errors : {};
  const status: ContentfulStatusCode = "status" in refusal ? refusal.status : 200;
  return renderPage(
    c,
    { title: record ? `Edit ${record.name}` : "Add equipment", current: "/equipment" },
    <EquipmentFormPage {...equipmentFormProps(c, record, values, errors)} />,
    status,
  );
}
