import { dirname, join } from "node:path";

/**
 * The Litestream binary: OPSBOX_LITESTREAM_BIN when set (a packaged litestream), else the one
 * of the npm package @flydotio/litestream-<platform>-<arch> (package.json installs the linux-x64
 * one as an optional dependency: the registry here carries no other), else `litestream` on PATH.
 * Null when none exists.
 */
export function litestreamBinary(configured: string | null): string | null {
  if (configured) return configured;
  try {
    const manifest = Bun.resolveSync(
      `@flydotio/litestream-${process.platform}-${process.arch}/package.json`,
      import.meta.dir,
    );
    return join(dirname(manifest), "litestream");
  } catch {
    return Bun.which("litestream");
  }
}
