import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { DISK_FULL_FORM_MESSAGE, isDiskFullError } from "./disk-space.ts";
import type { AppEnv } from "./env.ts";
import { AppError, detailsFromZod, type ErrorDetail, validationFailed } from "./errors.ts";

/** A posted form read once: text fields, repeated names (checkboxes) kept as lists; files are ignored. */
export type PostedForm = {
  /** The first value of a field, "" when it was not sent. */
  text: (name: string) => string;
  /** Every value of a repeated field. */
  list: (name: string) => string[];
  /** Whether the field was sent at all (an empty value counts). */
  has: (name: string) => boolean;
  /** The names sent, in order (for forms with numbered rows such as `lines.0.quantity`). */
  names: () => string[];
};

/**
 * What a refused form shows: the first message per field (`form` for the whole form), the status,
 * and for forms that show it apart, a message about the whole form.
 */
export type FormRefusal = { errors: Record<string, string>; status: ContentfulStatusCode; message?: string };

/** The one reader of console form bodies (urlencoded or multipart; any other body reads as empty). */
export async function readPostedForm(c: Context<AppEnv>): Promise<PostedForm> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): string[] => {
    const value = body[name];
    const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return items.filter((item): item is string => typeof item === "string");
  };
  return {
    text: (name) => values(name)[0] ?? "",
    list: values,
    has: (name) => values(name).length > 0,
    names: () => Object.keys(body).filter((name) => values(name).length > 0),
  };
}

/** The first message per field of a zod failure (`memberIds.2` → `memberIds`), as a 422. */
export function refusalFromZod(error: z.core.$ZodError): FormRefusal {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return { errors, status: 422 };
}

const STALE_MESSAGE =
  "Someone else changed this while you were editing. The form shows your values: check them and save again to keep them.";

/**
 * A service's refusal the form can show beside its fields: 422 (and the codes in `codes`, by
 * default 409 and 412) with their details, and 507 for a full disk; anything else is thrown on
 * to the error page. `stale` words the 412.
 */
export function refusalFrom(error: unknown, options: { codes?: readonly string[]; stale?: string } = {}): FormRefusal {
  if (isDiskFullError(error)) {
    // The form comes back with what was typed: a full disk must not cost the person their input.
    return { errors: { form: DISK_FULL_FORM_MESSAGE }, status: 507 };
  }
  const codes = options.codes ?? ["conflict", "precondition_failed"];
  if (!(error instanceof AppError) || (error.code !== "validation_failed" && !codes.includes(error.code))) throw error;
  const errors: Record<string, string> = {};
  for (const detail of error.details) errors[detail.path.split(".")[0] || "form"] ??= detail.message;
  if (error.code === "precondition_failed") errors.form = options.stale ?? STALE_MESSAGE;
  else if (Object.keys(errors).length === 0) errors.form = error.message;
  return { errors, status: error.status as ContentfulStatusCode };
}

/** How a console form becomes the API's input, and how it is drawn again when refused. */
export type FormSpec<Values> = {
  /** The posted fields as the form shows them (what the person typed, never lost). */
  values: (form: PostedForm, c: Context<AppEnv>) => Values;
  /** The values in the API's input shape (by default the values themselves). */
  input?: (values: Values, c: Context<AppEnv>) => unknown;
  /**
   * Names a validation failure's fields (by default the first message per top-level field, `lines.2.qty` → `lines`);
   * the values help where a detail's index means a row of the form (a line of a text area).
   */
  fields?: (details: ErrorDetail[], values: Values) => Record<string, string>;
  /** Field errors the schema cannot see (a project code that names no project); any makes it a 422. */
  check?: (values: Values, c: Context<AppEnv>) => Record<string, string>;
  /**
   * Draws the form again with the values and the refusal (422 from validation, a service's status
   * otherwise). Without it, a refused form is the API's standard 422 (a script's post, not a page).
   */
  invalid?: (c: Context<AppEnv>, values: Values, refusal: FormRefusal) => Response | Promise<Response>;
  /** Maps an error the handler passes to `refused` (by default `refusalFrom`; throw to reach the error page). */
  refusal?: (error: unknown, values: Values) => FormRefusal;
};

/** What the handler reads with `c.req.valid("form")`. */
export type ValidForm<Schema extends z.ZodType, Values> = {
  input: z.output<Schema>;
  values: Values;
  form: PostedForm;
  /** The form drawn again for an error a service threw (errors it cannot show are thrown on). */
  refused: (error: unknown) => Response | Promise<Response>;
};

/** The context of a handler behind `validateForm(schema, spec)`, for handlers written apart from their route. */
export type FormContext<Schema extends z.ZodType, Values> = Context<
  AppEnv,
  string,
  { out: { form: ValidForm<Schema, Values> } }
>;

/**
 * The console's `validate("form", schema)`: reads the posted form once, maps it to the API's input,
 * validates it with the API's schema and, refused, draws the form again with what was typed and
 * the field errors (422). The handler gets `c.req.valid("form")`.
 */
export function validateForm<Schema extends z.ZodType, Values>(
  schema: Schema,
  spec: FormSpec<Values>,
): MiddlewareHandler<AppEnv, string, { out: { form: ValidForm<Schema, Values> } }> {
  return async function validateForm(c, next) {
    const form = await readPostedForm(c);
    const values = spec.values(form, c);
    const parsed = schema.safeParse(spec.input ? spec.input(values, c) : values);
    const extra = spec.check?.(values, c) ?? {};
    if (!parsed.success || Object.keys(extra).length > 0) {
      if (!spec.invalid) {
        const error = validationFailed(parsed.success ? [] : parsed.error);
        for (const [path, message] of Object.entries(extra)) error.details.push({ path, message });
        throw error;
      }
      const zodErrors = (error: z.core.$ZodError) =>
        spec.fields ? spec.fields(detailsFromZod(error), values) : refusalFromZod(error).errors;
      const errors = parsed.success ? {} : zodErrors(parsed.error);
      return spec.invalid(c, values, { errors: { ...errors, ...extra }, status: 422 });
    }
    const refused = (error: unknown) => {
      const refusal = spec.refusal ? spec.refusal(error, values) : refusalFrom(error);
      if (!spec.invalid) throw error;
      return spec.invalid(c, values, refusal);
    };
    const valid: ValidForm<Schema, Values> = { input: parsed.data, values, form, refused };
    c.req.addValidatedData("form", valid);
    await next();
  };
}
