import { secureHeaders } from "hono/secure-headers";

/**
 * A strict policy: no inline script or style, nothing from other origins, no framing.
 * htmx 4 adds its indicator CSS through a constructed stylesheet, which this policy allows.
 */
export function securityHeaders(options: { https: boolean }) {
  return secureHeaders({
    // A route that sets a stricter header of its own keeps it (uploaded files: a sandboxing CSP).
    overwrite: false,
    // HSTS only means something over TLS; on a plain-http LAN box it would only mislead.
    strictTransportSecurity: options.https ? "max-age=31536000; includeSubDomains" : false,
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "same-origin",
    xFrameOptions: "DENY",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}
