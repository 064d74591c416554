/** @jsxImportSource hono/jsx */
import type { CustomerJson } from "../../../../server/work/invoices/customers.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { CurrencyList, type Errors, Field, FormNotice, TextArea } from "../../../partials/work/invoices/fields.tsx";

export type CustomerFormValues = {
  name: string;
  email: string;
  phone: string;
  address: string;
  taxId: string;
  currency: string;
  notes: string;
  etag: string;
};

export type CustomerListProps = { customers: CustomerJson[]; q: string; moreHref: string | null };

/** /customers: who the organisation invoices, newest first, with a name filter. */
export function CustomerListPage(props: CustomerListProps) {
  return (
    <article class="inv-page">
      <header class="inv-header">
        <div>
          <p class="inv-breadcrumb">
            <a href="/invoices">Invoices</a>
          </p>
          <h1>Customers</h1>
        </div>
        <nav class="inv-actions" aria-label="Customer tools">
          <a class="inv-button" href="/customers/new">
            New customer
          </a>
        </nav>
      </header>
      <form method="get" action="/customers" class="inv-filters" aria-label="Filter customers">
        <Field label="Name" name="q" value={props.q} placeholder="Part of the name" maxlength={200} />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {props.customers.length === 0 ? (
        props.q ? (
          <p class="empty-state">
            No customer's name contains “{props.q}”. <a href="/customers">Show all customers</a>.
          </p>
        ) : (
          <div class="empty-state">
            <p>No customers yet.</p>
            <p>
              <a href="/customers/new">Add the first customer</a> with their billing e-mail and currency; invoices are
              made out to them.
            </p>
          </div>
        )
      ) : (
        <div class="overflow-auto">
          <table class="inv-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Currency</th>
                <th scope="col">Tax ID</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.customers.map((customer) => (
                <tr id={`customer-${customer.id}`}>
                  <td>
                    <a href={`/customers/${customer.id}/edit`}>{customer.name}</a>
                  </td>
                  <td>{customer.email ?? <span class="inv-muted">none</span>}</td>
                  <td>{customer.currency}</td>
                  <td>{customer.taxId}</td>
                  <td>
                    <a href={`/invoices/new?customerId=${customer.id}`}>New invoice</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>Older customers</a>
        </p>
      ) : null}
    </article>
  );
}

export type CustomerFormProps = {
  /** null: a new customer. */
  customerId: string | null;
  values: CustomerFormValues;
  errors: Errors;
  message: string | null;
  currencies: readonly string[];
  csrf: string | null;
};

/** /customers/new and /customers/:id/edit. */
export function CustomerFormPage(props: CustomerFormProps) {
  const { values, errors } = props;
  const action = props.customerId ? `/customers/${props.customerId}/edit` : "/customers";
  return (
    <article class="inv-page inv-narrow">
      <header class="inv-header">
        <div>
          <p class="inv-breadcrumb">
            <a href="/customers">Customers</a>
          </p>
          <h1>{props.customerId ? `Edit ${values.name || "customer"}` : "New customer"}</h1>
        </div>
      </header>
      <form method="post" action={action} hx-post={action} hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="etag" value={values.etag} />
        <FormNotice
          error={props.message ?? (Object.keys(errors).length > 0 ? "Please correct the marked fields." : null)}
        />
        <Field label="Name" name="name" value={values.name} error={errors.name} required maxlength={200} autofocus />
        <div class="grid">
          <Field
            label="Billing e-mail"
            name="email"
            type="email"
            value={values.email}
            error={errors.email}
            hint="Invoices are sent here."
            maxlength={254}
          />
          <Field label="Phone" name="phone" type="tel" value={values.phone} error={errors.phone} maxlength={50} />
        </div>
        <TextArea label="Address" name="address" value={values.address} error={errors.address} />
        <div class="grid">
          <Field label="Tax ID" name="taxId" value={values.taxId} error={errors.taxId} maxlength={50} />
          <Field
            label="Currency"
            name="currency"
            value={values.currency}
            error={errors.currency}
            hint="ISO 4217, e.g. EUR: the default for this customer's invoices."
            maxlength={3}
            list="customer-currencies"
            required
          />
        </div>
        <CurrencyList id="customer-currencies" codes={props.currencies} />
        <TextArea label="Notes" name="notes" value={values.notes} error={errors.notes} hint="Only for your team." />
        <div class="inv-form-actions">
          <button type="submit">{props.customerId ? "Save changes" : "Add customer"}</button>
          <a href="/customers">Cancel</a>
        </div>
      </form>
      {props.customerId ? (
        <form
          method="post"
          action={`/customers/${props.customerId}/delete`}
          hx-post={`/customers/${props.customerId}/delete`}
          hx-target="#main"
          hx-confirm="Delete this customer? Customers with invoices cannot be deleted."
          class="inv-danger-zone"
        >
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary outline">
            Delete customer
          </button>
        </form>
      ) : null}
    </article>
  );
}
