import { describe, expect, test } from "bun:test";
import { formatBytes } from "./bytes.ts";

describe("formatBytes", () => {
  test("file sizes are decimal: whole units from 10 up, one decimal below", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(999)).toBe("999 bytes");
    expect(formatBytes(1_500)).toBe("1.5 KB");
    expect(formatBytes(1_185_376)).toBe("1.2 MB");
    expect(formatBytes(340_000_000)).toBe("340 MB");
    expect(formatBytes(3_800_000_000)).toBe("3.8 GB");
  });

  test("a whole number of units has no decimal", () => {
    expect(formatBytes(2_000_000)).toBe("2 MB");
    expect(formatBytes(1024 * 1024, 1024)).toBe("1 MB");
  });

  test("limits set in binary units read as they were set", () => {
    expect(formatBytes(50 * 1024 * 1024, 1024)).toBe("50 MB");
    expect(formatBytes(64 * 1024, 1024)).toBe("64 KB");
    expect(formatBytes(256 * 1024 * 1024, 1024)).toBe("256 MB");
    expect(formatBytes(1536, 1024)).toBe("1.5 KB");
    expect(formatBytes(1023, 1024)).toBe("1023 bytes");
  });
});
