/** @jsxImportSource hono/jsx */

export type ChoiceRow = { kind: string; label: string; console: boolean; email: boolean };

/**
 * Kinds × channels as checkboxes named `<kind>.console` and `<kind>.email` (an unticked box
 * sends nothing: off). Shared by the person's preferences and the organisation's defaults.
 */
export function ChoicesTable(props: { rows: ChoiceRow[]; caption: string }) {
  return (
    <table class="notification-choices">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Tell me when…</th>
          <th scope="col">In the console</th>
          <th scope="col">By e-mail</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <th scope="row">{row.label}</th>
            <td class="notification-choice">
              <input
                type="checkbox"
                name={`${row.kind}.console`}
                value="on"
                checked={row.console}
                aria-label={`${row.label}: in the console`}
              />
            </td>
            <td class="notification-choice">
              <input
                type="checkbox"
                name={`${row.kind}.email`}
                value="on"
                checked={row.email}
                aria-label={`${row.label}: by e-mail`}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
