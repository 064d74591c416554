/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { AiSettingsPage } from "../../views/pages/settings/ai.tsx";
import { ImportForm, PullForm, RolesForm } from "../../views/pages/settings/ai-forms.tsx";
import { ModelList } from "../../views/pages/settings/ai-models.tsx";
import { ServingForm } from "../../views/pages/settings/ai-serving.tsx";
import { AiStatusPanel } from "../../views/pages/settings/ai-status.tsx";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { fieldErrors, formCsrf, redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { requireInstanceAdmin, requirePermission } from "../http/guards.ts";
import { readPostedForm } from "../http/validate-form.ts";
import { runtimeStatus } from "./api.ts";
import {
  canChangeModels,
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

async function formValues(c: Context<AppEnv>, names: string[]): Promise<Record<string, string>> {
  const form = await readPostedForm(c);
  return Object.fromEntries(names.map((name) => [name, form.text(name)]));
}

/** Only non-empty fields: an empty optional field means "not given". */
const given = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== ""));

/** Settings → AI models: GET the page and its polled fragments, POST each form. */
export const aiSettingsConsole = new Hono<AppEnv>()
  .get("/", guard, (c) => {
    const notice = notices[c.req.query("notice") ?? ""] ?? null;
    const page = (
      <AiSettingsPage
        status={runtimeStatus(c.var.deps.ai)}
        list={modelListProps(c)}
        roles={rolesFormProps(c)}
        serving={servingFormProps(c)}
        notice={notice}
        csrf={formCsrf(c)}
        switcher={organizationSwitcher(c)}
        canChange={canChangeModels(c)}
      />
    );
    // The header marks Settings by its first page; the settings menu marks this section.
    return renderPage(c, { title: "AI models", current: "/settings/users" }, page);
  })
  .get("/status", guard, (c) => c.html(<AiStatusPanel status={runtimeStatus(c.var.deps.ai)} />))
  .get("/models", guard, (c) => c.html(<ModelList {...modelListProps(c)} />))
  .post("/models/pull", changeGuard, async (c) => {
    const values = await formValues(c, ["url", "sha256", "name"]);
    const csrf = formCsrf(c);
    const parsed = addModelInput.safeParse({ ...given(values), url: values.url ?? "" });
    if (!parsed.success)
      return c.html(<PullForm values={values} errors={fieldErrors(parsed.error)} csrf={csrf} />, 422);
    try {
      await startPull(c.var.deps, actorOf(c), {
        url: parsed.data.url ?? "",
        sha256: parsed.data.sha256,
        name: parsed.data.name,
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return c.html(<PullForm values={values} errors={errorsOf(error)} csrf={csrf} />, error.status);
    }
    return redirectTo(c, "/settings/ai?notice=pulling");
  })
  .post("/models/import", changeGuard, async (c) => {
    const values = await formValues(c, ["path", "name"]);
    const csrf = formCsrf(c);
    const parsed = addModelInput.safeParse({ ...given(values), path: values.path ?? "" });
    if (!parsed.success)
      return c.html(<ImportForm values={values} errors={fieldErrors(parsed.error)} csrf={csrf} />, 422);
    try {
      await importModel(c.var.deps, actorOf(c), { path: parsed.data.path ?? "", name: parsed.data.name });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return c.html(<ImportForm values={values} errors={errorsOf(error)} csrf={csrf} />, error.status);
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
  .post("/roles", changeGuard, async (c) => {
    const values = await formValues(c, ["chat", "embedding"]);
    const choice = { chat: values.chat || null, embedding: values.embedding || null };
    const parsed = chooseModelsInput.safeParse(choice);
    try {
      if (!parsed.success) throw new AppError("validation_failed", "Not a valid choice.");
      chooseModels(c.var.deps, actorOf(c), parsed.data);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return c.html(<RolesForm {...rolesFormProps(c, { chosen: choice, errors: errorsOf(error) })} />, 422);
    }
    return redirectTo(c, "/settings/ai?notice=roles");
  })
  .post("/serving", changeGuard, async (c) => {
    const values = await formValues(c, ["threads", ...servingFields.map((field) => field.name)]);
    const parsed = servingSettingsSchema.safeParse(servingCandidate(values));
    if (!parsed.success) {
      return c.html(<ServingForm {...servingFormProps(c, { values, errors: fieldErrors(parsed.error) })} />, 422);
    }
    updateServingSettings(c.var.deps, actorOf(c), parsed.data);
    return c.html(<ServingForm {...servingFormProps(c, { notice: notices.serving ?? null })} />);
  });
