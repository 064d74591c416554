import { and, desc, eq, lt, sql } from "drizzle-orm";
import { type Customer, customers, invoices } from "../../../models/billing.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch, etagOf } from "../../http/etag.ts";
import { newId } from "../../tools/ids.ts";
import type { CustomerInput, CustomerListQuery, UpdateCustomerInput } from "./schemas.ts";

export type CustomerJson = {
  id: string;
  name: string;
  email: string | null;
  phone: string;
  address: string;
  taxId: string;
  currency: string;
  notes: string;
  createdAt: string;
  updatedAt: string;
};

export function customerJson(customer: Customer): CustomerJson {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    address: customer.address,
    taxId: customer.taxId,
    currency: customer.currency,
    notes: customer.notes,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
  };
}

export function customerEtag(customer: Customer): string {
  return etagOf(customerJson(customer));
}

/** A customer of the current organisation, or null (also for another organisation's). */
export function findCustomerById(db: Queryable, orgId: string, id: string): Customer | null {
  return (
    db
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.id, id)))
      .get() ?? null
  );
}

/** The customer, or 404 "No such customer." for unknown ids and other organisations' customers. */
export function customerOrNotFound(ctx: { db: Queryable; orgId: string }, id: string): Customer {
  const customer = findCustomerById(ctx.db, ctx.orgId, id);
  if (!customer) throw notFound("customer");
  return customer;
}

/** Newest first; `q` matches part of the name. The cursor is the last id seen. */
export function listCustomers(ctx: ServiceContext, query: CustomerListQuery) {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1)[0];
  const rows = ctx.db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.orgId, ctx.orgId),
        typeof after === "string" ? lt(customers.id, after) : undefined,
        query.q ? sql`${customers.name} LIKE ${likePattern(query.q)} ESCAPE '\\'` : undefined,
      ),
    )
    .orderBy(desc(customers.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}

/** `%text%` with LIKE's wildcards in `text` taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** Up to `limit` customers by name, for the invoice form's picker. */
export function customerChoices(ctx: ServiceContext, limit = 500): Pick<Customer, "id" | "name" | "currency">[] {
  return ctx.db
    .select({ id: customers.id, name: customers.name, currency: customers.currency })
    .from(customers)
    .where(eq(customers.orgId, ctx.orgId))
    .orderBy(customers.name)
    .limit(limit)
    .all();
}

/** Creates a customer and publishes `customer.created`. */
export function createCustomer(ctx: ServiceContext, input: CustomerInput, now = new Date()): Customer {
  return ctx.db.transaction((tx) => {
    const customer = tx
      .insert(customers)
      .values({
        id: newId("cus", now.getTime()),
        orgId: ctx.orgId,
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? "",
        address: input.address ?? "",
        taxId: input.taxId ?? "",
        currency: input.currency,
        notes: input.notes ?? "",
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    publishEvent(
      tx,
      ctx,
      {
        type: "customer.created",
        subjectType: "customer",
        subjectId: customer.id,
        summary: `New customer “${customer.name}”`,
        data: { name: customer.name },
      },
      now,
    );
    return customer;
  });
}

/** Changes a customer (412 on a stale `ifMatch`) and publishes `customer.updated` with the changed fields. */
export function updateCustomer(
  ctx: ServiceContext,
  id: string,
  input: UpdateCustomerInput,
  ifMatch?: string,
  now = new Date(),
): Customer {
  return ctx.db.transaction((tx) => {
    const current = customerOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    assertIfMatch(ifMatch, customerEtag(current));
    const changes = Object.fromEntries(
      Object.entries(input).filter(([key, value]) => value !== undefined && current[key as keyof Customer] !== value),
    ) as Partial<Customer>;
    if (Object.keys(changes).length === 0) return current;
    const customer = tx
      .update(customers)
      .set({ ...changes, updatedAt: now })
      .where(eq(customers.id, id))
      .returning()
      .get();
    publishEvent(
      tx,
      ctx,
      {
        type: "customer.updated",
        subjectType: "customer",
        subjectId: id,
        summary: `Customer “${customer.name}” updated`,
        data: { fields: Object.keys(changes) },
      },
      now,
    );
    return customer;
  });
}

/** Deletes a customer without invoices (409 otherwise) and publishes `customer.deleted`. */
export function deleteCustomer(ctx: ServiceContext, id: string, now = new Date()): void {
  ctx.db.transaction((tx) => {
    const customer = customerOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    const invoice = tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.orgId, ctx.orgId), eq(invoices.customerId, id)))
      .limit(1)
      .get();
    if (invoice) {
      throw new AppError("conflict", "This customer has invoices and cannot be deleted. Void them instead.");
    }
    tx.delete(customers).where(eq(customers.id, id)).run();
    publishEvent(
      tx,
      ctx,
      {
        type: "customer.deleted",
        subjectType: "customer",
        subjectId: id,
        summary: `Customer “${customer.name}” deleted`,
        data: { name: customer.name },
      },
      now,
    );
  });
}
