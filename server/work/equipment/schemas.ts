import { z } from "zod";
import { equipmentStatuses } from "../../../models/work.ts";
import { pageQuery } from "../../http/cursor.ts";
import { day, enumList, text } from "../../http/fields.ts";
import { isId } from "../../tools/ids.ts";

/** One schema per request, shared by the API, the console forms and the OpenAPI document. */

const projectIds = z
  .array(
    z
      .string()
      .trim()
      .refine((value) => isId("prj", value), { message: "Use a project's id (prj_…)." }),
  )
  .max(200, "Link at most 200 projects.")
  .transform((ids) => [...new Set(ids)]);

const fields = {
  name: z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters."),
  type: text(60).describe("What kind of thing it is: boiler, van, laptop…"),
  manufacturer: text(120),
  model: text(120),
  serialNumber: text(120),
  location: text(120),
  status: z.enum(equipmentStatuses, { error: "Choose in_service, in_repair, out_of_service or retired." }),
  purchaseDate: day.nullable(),
  warrantyEnd: day.nullable(),
  notes: text(10_000),
  projectIds,
};

function warrantyAfterPurchase(input: { purchaseDate?: string | null; warrantyEnd?: string | null }): boolean {
  return !input.purchaseDate || !input.warrantyEnd || input.warrantyEnd >= input.purchaseDate;
}
const warrantyMessage = { message: "The warranty cannot end before the purchase date.", path: ["warrantyEnd"] };

export const createEquipmentInput = z
  .object({
    name: fields.name,
    type: fields.type.default(""),
    manufacturer: fields.manufacturer.default(""),
    model: fields.model.default(""),
    serialNumber: fields.serialNumber.default(""),
    location: fields.location.default(""),
    status: fields.status.default("in_service"),
    purchaseDate: fields.purchaseDate.optional(),
    warrantyEnd: fields.warrantyEnd.optional(),
    notes: fields.notes.default(""),
    projectIds: fields.projectIds.default([]),
  })
  .refine(warrantyAfterPurchase, warrantyMessage);
export type CreateEquipmentInput = z.infer<typeof createEquipmentInput>;

export const updateEquipmentInput = z
  .object({
    name: fields.name.optional(),
    type: fields.type.optional(),
    manufacturer: fields.manufacturer.optional(),
    model: fields.model.optional(),
    serialNumber: fields.serialNumber.optional(),
    location: fields.location.optional(),
    status: fields.status.optional(),
    purchaseDate: fields.purchaseDate.optional(),
    warrantyEnd: fields.warrantyEnd.optional(),
    notes: fields.notes.optional(),
    projectIds: fields.projectIds.optional().describe("Replaces every project link."),
  })
  .strict()
  .refine(warrantyAfterPurchase, warrantyMessage);
export type UpdateEquipmentInput = z.infer<typeof updateEquipmentInput>;

export const equipmentListQuery = pageQuery.extend({
  status: enumList(equipmentStatuses).optional().describe("One status or several, comma-separated."),
  type: z.string().trim().max(60).optional().describe("Exactly this type (ignoring case)."),
  location: z.string().trim().max(120).optional().describe("Exactly this location (ignoring case)."),
  q: z.string().trim().max(120).optional().describe("Part of the name, manufacturer, model or serial number."),
});
export type EquipmentListQuery = z.infer<typeof equipmentListQuery>;

export const equipmentJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  serialNumber: z.string(),
  location: z.string(),
  status: z.enum(equipmentStatuses),
  purchaseDate: z.string().nullable(),
  warrantyEnd: z.string().nullable(),
  notes: z.string(),
  projectIds: z.array(z.string()),
  manuals: z
    .array(z.object({ id: z.string(), title: z.string() }))
    .describe("Documents of the knowledge base linked to this equipment (its manuals), by title."),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EquipmentJson = z.infer<typeof equipmentJsonSchema>;

export const equipmentPageSchema = z.object({ data: z.array(equipmentJsonSchema), nextCursor: z.string().nullable() });
