/**
 * Sizes as people read them: "1.2 MB", "340 MB", "12 KB", "512 bytes". Pure: imports nothing,
 * so the CLI, messages and views share the one formatter.
 */

const UNITS = ["bytes", "KB", "MB", "GB", "TB", "PB"];

/**
 * Whole units from 10 up, one decimal below ("1.2 MB", never "1.0 MB"). `base` 1000 (the
 * default) for file sizes, as disks and downloads are sold; 1024 for limits set in binary units
 * (OPSBOX_MAX_UPLOAD_BYTES is 50 × 1024 × 1024 and reads "50 MB", like the README) and memory.
 */
export function formatBytes(bytes: number, base: 1000 | 1024 = 1000): string {
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < UNITS.length - 1) {
    value /= base;
    unit += 1;
  }
  if (unit === 0) return `${value} bytes`;
  const digits = value >= 10 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, "");
  return `${digits} ${UNITS[unit]}`;
}
