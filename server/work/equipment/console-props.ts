import type { Context } from "hono";
import type { EquipmentPageProps } from "../../../views/pages/work/equipment/detail.tsx";
import type { EquipmentFormProps, EquipmentFormValues } from "../../../views/pages/work/equipment/form.tsx";
import type { EquipmentListProps } from "../../../views/pages/work/equipment/list.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { todayUtc } from "../../tools/days.ts";
import { queryString } from "../../tools/query-string.ts";
import { mayManageProjects } from "../projects/console-kit.ts";
import { projectOptions, projectsById } from "../projects/options.ts";
import {
  type EquipmentRecord,
  equipmentEtag,
  equipmentJson,
  type listEquipment,
  listEquipmentFacets,
} from "./service.ts";

/** The equipment pages' props: records as the list, the item's page and the form show them. */

export const blankValues: EquipmentFormValues = {
  name: "",
  type: "",
  manufacturer: "",
  model: "",
  serialNumber: "",
  location: "",
  status: "in_service",
  purchaseDate: "",
  warrantyEnd: "",
  notes: "",
  projectIds: [],
};

export function valuesOfRecord(record: EquipmentRecord): EquipmentFormValues {
  const values = { ...blankValues };
  for (const key of Object.keys(blankValues) as (keyof EquipmentFormValues)[]) {
    if (key !== "projectIds") values[key] = record[key] ?? "";
  }
  return { ...values, projectIds: record.projectIds };
}

/** The list: a page of items with the filters that chose them, and the facets to filter by. */
export function equipmentListProps(
  c: Context<AppEnv>,
  page: ReturnType<typeof listEquipment>,
  filters: EquipmentListProps["filters"],
): EquipmentListProps {
  return {
    items: page.data,
    filters,
    facets: listEquipmentFacets(serviceContext(c)),
    moreHref: page.nextCursor ? `/equipment${queryString({ ...filters, cursor: page.nextCursor })}` : null,
    canManage: mayManageProjects(c),
    today: todayUtc(),
  };
}

/** One item's page: the item, its projects and the projects it may be linked to. */
export function equipmentPageProps(c: Context<AppEnv>, record: EquipmentRecord): EquipmentPageProps {
  const ctx = serviceContext(c);
  const linked = projectsById(ctx, record.projectIds);
  return {
    item: equipmentJson(record),
    projects: linked,
    linkable: projectOptions(ctx, []).filter((option) => !record.projectIds.includes(option.value)),
    canManage: mayManageProjects(c),
    canAsk: c.var.auth?.permissions.has("assistant.ask") ?? false,
    csrf: formCsrf(c),
    today: todayUtc(),
  };
}

/** The form, new (record null) or editing. */
export function equipmentFormProps(
  c: Context<AppEnv>,
  record: EquipmentRecord | null,
  values: EquipmentFormValues,
  errors: Record<string, string>,
): EquipmentFormProps {
  return {
    equipmentId: record?.id ?? null,
    values,
    errors,
    projects: projectOptions(serviceContext(c), record?.projectIds ?? []),
    etag: record ? equipmentEtag(record) : undefined,
    csrf: formCsrf(c),
  };
}
