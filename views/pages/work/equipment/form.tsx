/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import { equipmentStatusLabels } from "../../../partials/work/equipment/warranty.tsx";
import {
  CheckboxGroup,
  type FormErrors,
  type Option,
  SelectField,
  TextAreaField,
  TextField,
} from "../../../partials/work/projects/fields.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";

/** What the form holds, exactly as typed (re-rendered on a refusal). */
export type EquipmentFormValues = {
  name: string;
  type: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
  location: string;
  status: string;
  purchaseDate: string;
  warrantyEnd: string;
  notes: string;
  projectIds: string[];
};

export type EquipmentFormProps = {
  /** null for new equipment. */
  equipmentId: string | null;
  values: EquipmentFormValues;
  errors: FormErrors;
  projects: Option[];
  etag?: string;
  csrf: string | null;
};

const statusOptions: Option[] = Object.entries(equipmentStatusLabels).map(([value, label]) => ({ value, label }));

/** /equipment/new and /equipment/{id}/edit. */
export function EquipmentFormPage(props: EquipmentFormProps) {
  const { values, errors } = props;
  const action = props.equipmentId ? `/equipment/${props.equipmentId}` : "/equipment";
  return (
    <article class="work-page work-form">
      <header>
        <p class="work-breadcrumbs">
          <a href="/equipment">Equipment</a>
        </p>
        <h1>{props.equipmentId ? `Edit ${values.name || "equipment"}` : "Add equipment"}</h1>
      </header>
      <form id="equipment-form" method="post" action={action} hx-post={action} hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        {props.etag ? <input type="hidden" name="etag" value={props.etag} /> : null}
        <FormMessage error={errors.form} />
        <div class="grid">
          <TextField
            label="Name"
            name="name"
            value={values.name}
            error={errors.name}
            required
            maxlength={120}
            autofocus
          />
          <TextField
            label="Type"
            name="type"
            value={values.type}
            error={errors.type}
            maxlength={60}
            placeholder="Boiler, van, laptop…"
          />
        </div>
        <div class="grid">
          <TextField
            label="Manufacturer"
            name="manufacturer"
            value={values.manufacturer}
            error={errors.manufacturer}
            maxlength={120}
          />
          <TextField label="Model" name="model" value={values.model} error={errors.model} maxlength={120} />
          <TextField
            label="Serial number"
            name="serialNumber"
            value={values.serialNumber}
            error={errors.serialNumber}
            maxlength={120}
          />
        </div>
        <div class="grid">
          <TextField label="Location" name="location" value={values.location} error={errors.location} maxlength={120} />
          <SelectField
            label="Status"
            name="status"
            value={values.status}
            options={statusOptions}
            error={errors.status}
          />
        </div>
        <div class="grid">
          <TextField
            label="Purchase date"
            name="purchaseDate"
            type="date"
            value={values.purchaseDate}
            error={errors.purchaseDate}
          />
          <TextField
            label="Warranty ends"
            name="warrantyEnd"
            type="date"
            value={values.warrantyEnd}
            error={errors.warrantyEnd}
            hint="Highlighted in the list from 30 days before."
          />
        </div>
        <TextAreaField label="Notes" name="notes" value={values.notes} error={errors.notes} />
        <CheckboxGroup
          legend="Projects"
          name="projectIds"
          options={props.projects}
          checked={values.projectIds}
          error={errors.projectIds}
          empty="No open projects to link yet."
        />
        <div class="work-form-actions">
          <button type="submit">{props.equipmentId ? "Save changes" : "Add equipment"}</button>
          <a href={props.equipmentId ? `/equipment/${props.equipmentId}` : "/equipment"}>Cancel</a>
        </div>
      </form>
    </article>
  );
}
