/** Only same-site paths may be a `next` target, so a link cannot bounce people elsewhere. */
export function localPath(target: string): string {
  try {
    const url = new URL(target, "http://opsbox.invalid");
    // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as another host.
    if (url.origin !== "http://opsbox.invalid" || url.pathname.startsWith("//")) return "/";
    return `${url.pathname}${url.search}`;
  } catch {
    return "/";
  }
}
