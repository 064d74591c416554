/** @jsxImportSource hono/jsx */
import type { EquipmentStatus } from "../../../../models/work.ts";
import { EquipmentStatusBadge, equipmentStatusLabels, Warranty } from "../../../partials/work/equipment/warranty.tsx";
import { type Option, SelectField, TextField } from "../../../partials/work/projects/fields.tsx";

export type EquipmentListRow = {
  id: string;
  name: string;
  type: string;
  manufacturer: string;
  model: string;
  location: string;
  status: EquipmentStatus;
  warrantyEnd: string | null;
};

export type EquipmentFilters = { status: string; type: string; location: string; q: string };

export type EquipmentListProps = {
  items: EquipmentListRow[];
  filters: EquipmentFilters;
  facets: { types: string[]; locations: string[] };
  moreHref: string | null;
  canManage: boolean;
  /** `YYYY-MM-DD` (UTC), for the warranty highlights. */
  today: string;
};

const statusOptions: Option[] = Object.entries(equipmentStatusLabels).map(([value, label]) => ({ value, label }));
const asOptions = (values: string[]): Option[] => values.map((value) => ({ value, label: value }));

/** /equipment: machines, vehicles and tools, with warranties that end soon highlighted. */
export function EquipmentListPage(props: EquipmentListProps) {
  const filtered = Object.values(props.filters).some((value) => value !== "");
  return (
    <article class="work-page">
      <header class="work-header">
        <h1>Equipment</h1>
        {props.canManage ? (
          <div class="work-actions">
            <a class="link-button" href="/equipment/new">
              Add equipment
            </a>
          </div>
        ) : null}
      </header>
      <form method="get" action="/equipment" class="work-filters" aria-label="Filter equipment">
        <SelectField label="Status" name="status" value={props.filters.status} options={statusOptions} blank="Any" />
        <SelectField
          label="Type"
          name="type"
          value={props.filters.type}
          options={asOptions(props.facets.types)}
          blank="Any"
        />
        <SelectField
          label="Location"
          name="location"
          value={props.filters.location}
          options={asOptions(props.facets.locations)}
          blank="Any"
        />
        <TextField label="Search" name="q" value={props.filters.q} placeholder="Name, model, serial…" maxlength={120} />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {props.items.length === 0 ? (
        <p class="empty-state">
          {filtered ? (
            <>
              Nothing matches these filters. <a href="/equipment">Show all equipment</a>.
            </>
          ) : props.canManage ? (
            <>
              No equipment yet. <a href="/equipment/new">Add the first machine, vehicle or tool</a> with its serial
              number and warranty end, and Opsbox will point out warranties about to end.
            </>
          ) : (
            "No equipment yet. A manager or admin adds it."
          )}
        </p>
      ) : (
        <EquipmentTable items={props.items} today={props.today} />
      )}
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>More equipment</a>
        </p>
      ) : null}
    </article>
  );
}

function EquipmentTable(props: { items: EquipmentListRow[]; today: string }) {
  return (
    <div class="overflow-auto">
      <table class="work-table equipment-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Make and model</th>
            <th scope="col">Location</th>
            <th scope="col">Status</th>
            <th scope="col">Warranty ends</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <tr id={`equipment-${item.id}`}>
              <td>
                <a href={`/equipment/${item.id}`}>{item.name}</a>
              </td>
              <td>{item.type || "—"}</td>
              <td>{[item.manufacturer, item.model].filter(Boolean).join(" ") || "—"}</td>
              <td>{item.location || "—"}</td>
              <td>
                <EquipmentStatusBadge status={item.status} />
              </td>
              <td>
                <Warranty warrantyEnd={item.warrantyEnd} today={props.today} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
