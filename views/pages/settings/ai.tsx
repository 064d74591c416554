/** @jsxImportSource hono/jsx */
import type { AiRuntimeStatus } from "../../../server/ai/runtime.ts";
import { FormMessage } from "../auth/form-parts.tsx";
import { ImportForm, PullForm, RolesForm, type RolesFormProps } from "./ai-forms.tsx";
import { ModelList, type ModelListProps } from "./ai-models.tsx";
import { ServingForm, type ServingFormProps } from "./ai-serving.tsx";
import { AiStatusPanel } from "./ai-status.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type AiSettingsPageProps = {
  status: AiRuntimeStatus;
  list: ModelListProps;
  roles: RolesFormProps;
  serving: ServingFormProps;
  notice: string | null;
  csrf: string | null;
  switcher: OrganizationSwitcherProps;
  /** The box's instance admin: the only one who may change models (other admins see them). */
  canChange: boolean;
};

/** Settings → AI models: status, the models and their roles, adding models, serving settings. */
export function AiSettingsPage(props: AiSettingsPageProps) {
  const empty = { values: {}, errors: {}, csrf: props.csrf };
  return (
    <SettingsFrame current="/settings/ai" switcher={props.switcher}>
      <header>
        <h1>AI models</h1>
        <p>
          The assistant and document search run on GGUF models in this box's data directory; no question or document
          leaves it. These settings are the whole box's, shared by every organisation on it.
        </p>
      </header>
      <FormMessage notice={props.notice} />
      {props.canChange ? null : (
        <p class="form-message form-message-notice" id="ai-read-only">
          Only the box's instance admin can add, delete or choose models and change how they are served: these settings
          apply to every organisation on this box. You can see them here.
        </p>
      )}
      <AiStatusPanel status={props.status} />
      <section aria-labelledby="ai-models-heading">
        <h2 id="ai-models-heading">Models</h2>
        <ModelList {...props.list} />
        <RolesForm {...props.roles} />
      </section>
      {props.canChange ? (
        <section aria-labelledby="ai-add-heading">
          <h2 id="ai-add-heading">Add a model</h2>
          <p class="muted">
            A good start on a small box: <code>Phi-3-mini-4k-instruct-q4.gguf</code> for chat and a small embedding
            model such as <code>nomic-embed-text-v1.5.Q8_0.gguf</code>. Downloads are checked for free disk space first.
          </p>
          <PullForm {...empty} />
          <ImportForm {...empty} />
        </section>
      ) : null}
      <section aria-labelledby="ai-serving-heading">
        <h2 id="ai-serving-heading">Serving</h2>
        <ServingForm {...props.serving} />
      </section>
    </SettingsFrame>
  );
}
