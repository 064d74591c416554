/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AiSettingsPage } from "../../views/pages/settings/ai.tsx";
import { ImportForm, PullForm, RolesForm } from "../../views/pages/settings/ai-forms.tsx";
import { ModelList } from "../../views/pages/settings/ai-models.tsx";
import { ServingForm } from "../../views/pages/settings/ai-serving.tsx";
import { AiStatusPanel } from "../../views/pages/settings/ai-status.tsx";
import { renderPage } from "../console/render.tsx";
import { formCsrf, redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { requireInstanceAdmin, requirePermission } from "../http/guards.ts";
import { type FormRefusal, type FormSpec, type PostedForm, validateForm } from "../http/validate-form.ts";
import { runtimeStatus } from "./api.ts";
import {
  aiSettingsPageProps,
  modelListProps,
  rolesFormProps,
  servingCandidate,
  servingFields,
  servingFormProps,
} from "./console-props.ts";
import { actorOf } from "./model-actor.ts";
import { startPull } from "./model-pull.ts";
import { chooseModels } from "./model-roles.ts";
import { deleteModel, importModel } from "./models-service.ts";
import { addModelInput, chooseModelsInput } from "./schemas.ts";
import { servingSettingsSchema, updateServingSettings } from "./serving-settings.ts";

/** Any admin may see the box's models; changing them is the instance admin's alone (box-wide). */
const guard = requirePermission("settings.manage");
const changeGuard = requireInstanceAdmin();

/** What the page says after a change that reloaded it. */
const notices: Record<string, string> = {
  imported: "Model imported.",
  pulling: "Download started: it shows in the list below.",
  deleted: "Model deleted.",
  roles: "Choice saved. The models load in the background.",
  serving: "Serving settings saved.",
};

/** Details of a failed service call, by form field; anything else under "form". */
function errorsOf(error: AppError): Record<string, string> {
  if (error.details.length === 0) return { form: error.message };
  return Object.fromEntries(error.details.map((detail) => [detail.path || "form", detail.message]));
}

/** Only non-empty fields: an empty optional field means "not given". */
const given = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== ""));

/** A form of plain text fields, each read as typed. */
function fieldsOf(names: string[]) {
  return (form: PostedForm) => Object.fromEntries(names.map((name) => [name, form.text(name)]));
}

/** A model change the service refuses (4xx) stays on its form; a 5xx is the error page. */
function modelRefusal(error: unknown): FormRefusal {
  if (!(error instanceof AppError) || error.status >= 500) throw error;
  return { errors: errorsOf(error), status: error.status as ContentfulStatusCode };
}

const pullForm: FormSpec<Record<string, string>> = {
  values: fieldsOf(["url", "sha256", "name"]),
  input: (values) => ({ ...given(values), url: values.url ?? "" }),
  invalid: (c, values, { errors, status }) =>
    c.html(<PullForm values={values} errors={errors} csrf={formCsrf(c)} />, status),
  refusal: modelRefusal,
};

const importForm: FormSpec<Record<string, string>> = {
  values: fieldsOf(["path", "name"]),
  input: (values) => ({ ...given(values), path: values.path ?? "" }),
  invalid: (c, values, { errors, status }) =>
    c.html(<ImportForm values={values} errors={errors} csrf={formCsrf(c)} />, status),
  refusal: modelRefusal,
};

/** The model choice: any refusal is a 422 on the form. */
const rolesForm: FormSpec<{ chat: string | null; embedding: string | null }> = {
  values: (form) => ({ chat: form.text("chat") || null, embedding: form.text("embedding") || null }),
  fields: () => ({ form: "Not a valid choice." }),
  invalid: (c, chosen, { errors }) => c.html(<RolesForm {...rolesFormProps(c, { chosen, errors })} />, 422),
  refusal: modelRefusal,
};

const servingForm: FormSpec<Record<string, string>> = {
  values: fieldsOf(["threads", ...servingFields.map((field) => field.name)]),
  input: servingCandidate,
  invalid: (c, values, { errors, status }) =>
    c.html(<ServingForm {...servingFormProps(c, { values, errors })} />, status),
};

/** Settings → AI models: GET the page and its polled fragments, POST each form. */
export const aiSettingsConsole = new Hono<AppEnv>()
  .get("/", guard, (c) => {
    const notice = notices[c.req.query("notice") ?? ""] ?? null;
    const page = <AiSettingsPage {...aiSettingsPageProps(c, notice)} />;
    // The header marks Settings by its first page; the settings menu marks this section.
    return renderPage(c, { title: "AI models", current: "/settings/users" }, page);
  })
  .get("/status", guard, (c) => c.html(<AiStatusPanel status={runtimeStatus(c.var.deps.ai)} />))
  .get("/models", guard, (c) => c.html(<ModelList {...modelListProps(c)} />))
  .post("/models/pull", changeGuard, validateForm(addModelInput, pullForm), async (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      await startPull(c.var.deps, actorOf(c), { url: input.url ?? "", sha256: input.sha256, name: input.name });
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, "/settings/ai?notice=pulling");
  })
  .post("/models/import", changeGuard, validateForm(addModelInput, importForm), async (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      await importModel(c.var.deps, actorOf(c), { path: input.path ?? "", name: input.name });
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, "/settings/ai?notice=imported");
  })
  .post("/models/:id/delete", changeGuard, (c) => {
    try {
      deleteModel(c.var.deps, actorOf(c), c.req.param("id"));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "conflict") throw error;
      return c.html(<ModelList {...modelListProps(c, error.message)} />, 409);
    }
    return redirectTo(c, "/settings/ai?notice=deleted");
  })
  .post("/roles", changeGuard, validateForm(chooseModelsInput, rolesForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      chooseModels(c.var.deps, actorOf(c), input);
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, "/settings/ai?notice=roles");
  })
  .post("/serving", changeGuard, validateForm(servingSettingsSchema, servingForm), (c) => {
    updateServingSettings(c.var.deps, actorOf(c), c.req.valid("form").input);
    return c.html(<ServingForm {...servingFormProps(c, { notice: notices.serving ?? null })} />);
  });
