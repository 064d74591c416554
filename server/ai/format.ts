/** Pure formatting for pages, the CLI and messages (no imports: views use it too). */

/** 1.2 GB, 340 MB, 12 KB (decimal units, as disks and downloads are sold). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}

/** 3.8B, 125M, 293K: parameter counts. */
export function formatCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(0)}K`;
  return String(count);
}
