/** @jsxImportSource hono/jsx */
import type { ApproverChoices, StepRowValues } from "../../../pages/work/approvals/types.ts";

export type StepRowProps = {
  index: number;
  count: number;
  values: StepRowValues;
  errors: Record<string, string>;
  choices: ApproverChoices;
};

/**
 * One step of the pipeline editor. Moving and removing are submit buttons that the server
 * answers with the re-ordered form (nothing is saved until "Save"): no script needed, and
 * every control is reachable with the keyboard.
 */
export function StepRow(props: StepRowProps) {
  const { index, values, errors } = props;
  const prefix = `steps.${index}`;
  const number = index + 1;
  const nameError = errors[`${prefix}.name`];
  const approverError = errors[`${prefix}.approver`];
  return (
    <li class="step-row" id={`step-${index}`}>
      <fieldset>
        <legend>Step {number}</legend>
        <div class="step-row-fields">
          <label>
            Name
            <input
              type="text"
              name={`${prefix}.name`}
              value={values.name}
              maxlength={80}
              autocomplete="off"
              aria-invalid={nameError ? "true" : undefined}
              aria-describedby={nameError ? `${prefix}-name-error` : undefined}
            />
            {nameError ? <small id={`${prefix}-name-error`}>{nameError}</small> : null}
          </label>
          <label>
            Approver
            <select
              name={`${prefix}.approver`}
              aria-invalid={approverError ? "true" : undefined}
              aria-describedby={approverError ? `${prefix}-approver-error` : undefined}
            >
              <option value="">Choose…</option>
              <optgroup label="A role">
                {props.choices.roles.map((choice) => (
                  <option value={choice.value} selected={choice.value === values.approver}>
                    {choice.label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="A person">
                {props.choices.people.map((choice) => (
                  <option value={choice.value} selected={choice.value === values.approver}>
                    {choice.label}
                  </option>
                ))}
              </optgroup>
            </select>
            {approverError ? <small id={`${prefix}-approver-error`}>{approverError}</small> : null}
          </label>
          <label>
            For a role
            <select name={`${prefix}.rule`}>
              <option value="any" selected={values.rule === "any"}>
                Any one decides
              </option>
              <option value="all" selected={values.rule === "all"}>
                All must approve
              </option>
            </select>
          </label>
        </div>
        <div class="step-row-buttons">
          <button
            type="submit"
            name="op"
            value={`up-${index}`}
            class="secondary outline compact"
            disabled={index === 0}
            aria-label={`Move step ${number} up`}
          >
            ↑ Up
          </button>
          <button
            type="submit"
            name="op"
            value={`down-${index}`}
            class="secondary outline compact"
            disabled={index === props.count - 1}
            aria-label={`Move step ${number} down`}
          >
            ↓ Down
          </button>
          <button
            type="submit"
            name="op"
            value={`remove-${index}`}
            class="secondary outline compact"
            disabled={props.count === 1}
            aria-label={`Remove step ${number}`}
          >
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}
