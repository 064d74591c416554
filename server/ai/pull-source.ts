import { AppError } from "../http/errors.ts";
import { normalizeHostName } from "../outbound/outbound-fetch.ts";

const HF_URI = /^hf:([A-Za-z0-9][\w.-]*)\/([\w.-]+)\/(.+)$/;

const invalid = (message: string) =>
  new AppError("validation_failed", "The model cannot be pulled from there.", [{ path: "url", message }]);

/**
 * Where a pull reads from. `hf:<user>/<repo>/<file>` is the file on the Hugging Face Hub's main
 * branch (`https://huggingface.co/<user>/<repo>/resolve/main/<file>`); anything else must be an
 * https URL, or plain http to a host an admin allowed for private outbound requests (a mirror
 * on the office network), since a model file is code the box will run.
 */
export function resolvePullUrl(input: string, allowedPrivateHosts: readonly string[]): URL {
  const text = input.trim();
  if (text.startsWith("hf:")) {
    const match = HF_URI.exec(text);
    const file = match?.[3];
    if (!match || !file || file.split("/").some((part) => part === "" || part === "." || part === "..")) {
      throw invalid("Write a Hugging Face file as hf:<user>/<repo>/<file>.gguf.");
    }
    const path = file.split("/").map(encodeURIComponent).join("/");
    return new URL(`https://huggingface.co/${match[1]}/${match[2]}/resolve/main/${path}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("Enter an https:// URL or an hf:<user>/<repo>/<file> URI.");
  }
  if (url.username || url.password) throw invalid("Addresses with a user name or password in them are refused.");
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && allowedPrivateHosts.includes(normalizeHostName(url.hostname))) return url;
  throw invalid("Use an https:// URL (plain http only for a host an admin allowed for private outbound requests).");
}

/** The file name a URL points at, for the model's name and file. */
export function fileNameOfUrl(url: URL): string {
  const last = url.pathname.split("/").filter(Boolean).at(-1);
  return last ? decodeURIComponent(last) : "model.gguf";
}

/** What a source shows as: the hf: URI as given, or the URL without its query (which may hold a token). */
export function describeSource(input: string, url: URL): string {
  return input.trim().startsWith("hf:") ? input.trim() : `${url.origin}${url.pathname}`;
}
