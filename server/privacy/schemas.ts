import { z } from "zod";

/** What happens to the erased person's uploads: deleted, or given to another member. */
export const eraseInput = z.discriminatedUnion("uploads", [
  z.object({ uploads: z.literal("delete") }),
  z.object({ uploads: z.literal("reassign"), reassignTo: z.string().min(1, "Choose who gets the uploads.") }),
]);
export type EraseInput = z.infer<typeof eraseInput>;

/** The retention preview an admin confirms: the number of days it was computed for. */
export const confirmRetentionInput = z.object({
  dataRetentionDays: z.coerce.number().int().min(30).max(3650),
});
export type ConfirmRetentionInput = z.infer<typeof confirmRetentionInput>;
