/** @jsxImportSource hono/jsx */

import { formatMoney } from "../../../../server/tools/money.ts";
import type { LineFormValues } from "../../../../server/work/invoices/invoice-form.ts";
import type { InvoiceTotals } from "../../../../server/work/invoices/totals.ts";
import type { Errors } from "./fields.tsx";

export type LineEditorProps = {
  lines: LineFormValues[];
  errors: Errors;
  /** The currency amounts are typed and shown in. */
  currency: string;
  /** Totals of the lines as typed (null: too large to compute). */
  totals: InvoiceTotals | null;
};

const include = "closest form";

/**
 * The invoice's lines: one row per line with its computed amount, and buttons to add and
 * remove rows (the server re-renders the editor with every typed value). The totals are
 * LiveTotals, outside the editor, which the server recomputes with totals.ts.
 */
export function LineEditor(props: LineEditorProps) {
  return (
    <fieldset id="line-editor" class="inv-line-editor">
      <legend>Lines</legend>
      {props.errors.lines ? (
        <p class="inv-error" role="alert">
          {props.errors.lines}
        </p>
      ) : null}
      <div class="overflow-auto">
        <table class="inv-lines-table">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col" class="inv-num">
                Quantity
              </th>
              <th scope="col" class="inv-num">
                Unit price ({props.currency})
              </th>
              <th scope="col" class="inv-num">
                Tax %
              </th>
              <th scope="col" class="inv-num">
                Amount
              </th>
              <th scope="col">
                <span class="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.lines.map((line, index) => (
              <LineRow
                line={line}
                index={index}
                errors={props.errors}
                amount={props.totals?.lines[index]?.amount ?? null}
                currency={props.currency}
              />
            ))}
          </tbody>
        </table>
      </div>
      {props.lines.length === 0 ? <p class="inv-muted">No lines yet. Add one to say what is being billed.</p> : null}
      <button
        type="button"
        class="secondary outline inv-add-line"
        hx-post="/invoices/editor/add"
        hx-include={include}
        hx-target="#line-editor"
        hx-swap="outerHTML"
      >
        Add line
      </button>
    </fieldset>
  );
}

/**
 * Recomputes the totals while the person types. It listens on the form and stays in place
 * (only the totals inside it are swapped), so no keystroke's debounce timer is lost to a swap;
 * `replace` answers only the newest state of the form.
 */
export function LiveTotals(props: { currency: string; totals: InvoiceTotals | null }) {
  return (
    <div
      class="inv-live-totals"
      hx-post="/invoices/editor/totals"
      hx-trigger="input delay:300ms from:'closest form', change from:'closest form'"
      hx-include={include}
      hx-target="#invoice-totals"
      hx-swap="outerHTML"
      hx-sync="this:replace"
    >
      <TotalsBox currency={props.currency} totals={props.totals} />
    </div>
  );
}

function LineInput(props: {
  name: string;
  value: string;
  label: string;
  error: string | undefined;
  numeric?: boolean;
  autofocus?: boolean;
}) {
  const helpId = props.error ? `${props.name.replaceAll(".", "-")}-help` : undefined;
  return (
    <>
      <input
        type="text"
        name={props.name}
        value={props.value}
        aria-label={props.label}
        autocomplete="off"
        autofocus={props.autofocus}
        inputmode={props.numeric ? "decimal" : undefined}
        class={props.numeric ? "inv-num" : undefined}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={helpId}
      />
      {props.error ? <small id={helpId}>{props.error}</small> : null}
    </>
  );
}

function LineRow(props: {
  line: LineFormValues;
  index: number;
  errors: Errors;
  amount: number | null;
  currency: string;
}) {
  const { line, index } = props;
  const name = (field: keyof LineFormValues) => `lines.${index}.${field}`;
  const number = index + 1;
  return (
    <tr class="inv-line">
      <td class="inv-line-description">
        {line.id ? <input type="hidden" name={name("id")} value={line.id} /> : null}
        <LineInput
          name={name("description")}
          value={line.description}
          label={`Description of line ${number}`}
          error={props.errors[name("description")]}
        />
      </td>
      <td>
        <LineInput
          name={name("quantity")}
          value={line.quantity}
          label={`Quantity of line ${number}`}
          error={props.errors[name("quantity")]}
          numeric
        />
      </td>
      <td>
        <LineInput
          name={name("unitPrice")}
          value={line.unitPrice}
          label={`Unit price of line ${number}`}
          error={props.errors[name("unitPrice")] ?? props.errors[name("id")]}
          numeric
        />
      </td>
      <td>
        <LineInput
          name={name("taxRate")}
          value={line.taxRate}
          label={`Tax rate of line ${number} in percent`}
          error={props.errors[name("taxRate")]}
          numeric
        />
      </td>
      <td class="inv-num">
        <LineAmount index={index} amount={props.amount} currency={props.currency} />
      </td>
      <td>
        <button
          type="button"
          class="secondary outline compact"
          hx-post={`/invoices/editor/remove/${index}`}
          hx-include={include}
          hx-target="#line-editor"
          hx-swap="outerHTML"
          aria-label={`Remove line ${number}`}
        >
          ✕
        </button>
      </td>
    </tr>
  );
}

/** A line's computed amount; `oob` when it rides along with a totals update. */
export function LineAmount(props: { index: number; amount: number | null; currency: string; oob?: boolean }) {
  return (
    <output id={`line-amount-${props.index}`} hx-swap-oob={props.oob ? "true" : undefined}>
      {props.amount === null ? "—" : formatMoney(props.amount, props.currency)}
    </output>
  );
}

/** Subtotal, tax and total of the lines as typed; `oob` when it rides along with a line editor update. */
export function TotalsBox(props: { currency: string; totals: InvoiceTotals | null; oob?: boolean }) {
  const { totals } = props;
  return (
    <dl id="invoice-totals" class="inv-totals" aria-live="polite" hx-swap-oob={props.oob ? "true" : undefined}>
      {totals === null ? (
        <dd class="inv-error">These amounts are too large to total exactly.</dd>
      ) : (
        <>
          <dt>Subtotal</dt>
          <dd>{formatMoney(totals.subtotal, props.currency)}</dd>
          <dt>Tax</dt>
          <dd>{formatMoney(totals.tax, props.currency)}</dd>
          <dt class="inv-total">Total</dt>
          <dd class="inv-total">{formatMoney(totals.total, props.currency)}</dd>
        </>
      )}
    </dl>
  );
}
