/** What one request shows about the proxy in front of Opsbox. */
export type ProxyFacts = {
  /** The socket peer is one of OPSBOX_TRUSTED_PROXIES. */
  fromTrustedProxy: boolean;
  /** OPSBOX_TRUSTED_PROXIES names at least one proxy. */
  trustsAnyProxy: boolean;
  /** The socket peer is this machine. */
  loopbackPeer: boolean;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
  baseUrl: string;
};

/**
 * The way the settings disagree with the proxy a request came through, or null. Opsbox takes
 * neither fact from headers (whose address counts is OPSBOX_TRUSTED_PROXIES; cookies, HSTS and
 * links follow OPSBOX_BASE_URL); this only tells the operator what to set.
 */
export function proxyMismatch(facts: ProxyFacts): string | null {
  if (!facts.trustsAnyProxy && facts.loopbackPeer && facts.forwardedFor !== undefined) {
    return "a proxy on this machine forwards requests, but OPSBOX_TRUSTED_PROXIES is empty: every visitor counts as this machine for rate limits, lock-outs and the audit log; set OPSBOX_TRUSTED_PROXIES=127.0.0.1,::1";
  }
  if (facts.fromTrustedProxy && facts.forwardedProto === "https" && !facts.baseUrl.startsWith("https:")) {
    return "requests arrive over https through the proxy, but OPSBOX_BASE_URL is not https://: session cookies are not Secure, HSTS is off and links say http; set OPSBOX_BASE_URL to the https:// address people use";
  }
  return null;
}
