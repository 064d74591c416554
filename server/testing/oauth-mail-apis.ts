import type { OAuthEndpointOverrides } from "../mail/oauth/endpoints.ts";

/** One request the fake APIs received, its body read as a form or JSON. */
export type SeenRequest = {
  path: string;
  headers: Headers;
  form: URLSearchParams | null;
  json: unknown;
};

/** What the next request to a path gets. */
export type PreparedAnswer = { status: number; body: string; headers?: Record<string, string> };

export type FakeMailApis = {
  url: string;
  seen: SeenRequest[];
  /** Answers queued per path; a token endpoint without one issues fresh tokens (`access-N`, `refresh-N`). */
  answers: Map<string, PreparedAnswer[]>;
  endpoints: OAuthEndpointOverrides;
  /** The request bodies of `path`, oldest first. */
  requestsTo: (path: string) => SeenRequest[];
  stop: () => void;
};

/** An unsigned ID token naming `email` (the token endpoint's own answer; Opsbox only reads it). */
export function idTokenFor(email: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part({ sub: "1234", email })}.`;
}

/**
 * Google's token endpoint, Microsoft's token endpoint, the Gmail API and Graph on one loopback
 * port: every request is recorded so that tests check it against the documented APIs.
 */
export function startFakeMailApis(options: { account?: string } = {}): FakeMailApis {
  const seen: SeenRequest[] = [];
  const answers = new Map<string, PreparedAnswer[]>();
  let issued = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const path = new URL(request.url).pathname;
      const text = await request.text();
      const type = request.headers.get("Content-Type") ?? "";
      seen.push({
        path,
        headers: request.headers,
        form: type.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(text) : null,
        json: type.startsWith("application/json") ? JSON.parse(text) : null,
      });
      const prepared = answers.get(path)?.shift();
      if (prepared) return new Response(prepared.body, { status: prepared.status, headers: prepared.headers });
      if (path.endsWith("/token")) {
        issued += 1;
        const tokens = {
          access_token: `access-${issued}`,
          refresh_token: `refresh-${issued}`,
          token_type: "Bearer",
          expires_in: 3599,
          id_token: idTokenFor(options.account ?? "office@acme.test"),
        };
        return Response.json(tokens);
      }
      return new Response("no answer prepared", { status: 500 });
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    seen,
    answers,
    endpoints: {
      google: { authorizationEndpoint: `${url}/google/authorize`, tokenEndpoint: `${url}/google/token` },
      microsoft: { authorizationEndpoint: `${url}/microsoft/authorize`, tokenEndpoint: `${url}/microsoft/token` },
    },
    requestsTo: (path) => seen.filter((request) => request.path === path),
    stop: () => void server.stop(true),
  };
}
