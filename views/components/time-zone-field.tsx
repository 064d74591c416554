/** @jsxImportSource hono/jsx */
import { TextField } from "./form-fields.tsx";

export type TimeZoneFieldProps = {
  /** What the form shows: the stored zone, or what was typed when it was refused. */
  value: string;
  error?: string | undefined;
  /** Every zone the box knows (server/tools/zoned-time.ts knownTimeZones), offered as suggestions. */
  zones: string[];
  hint: string;
  autofocus?: boolean;
};

/** The organisation's time zone: a text input with the known zones as suggestions, so a refused value stays typed. */
export function TimeZoneField(props: TimeZoneFieldProps) {
  return (
    <>
      <TextField
        label="Time zone"
        name="timeZone"
        value={props.value}
        error={props.error}
        hint={props.hint}
        list="time-zones"
        autofocus={props.autofocus}
      />
      <datalist id="time-zones">
        {props.zones.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
    </>
  );
}
