/**
 * A local server that answers as GitHub's REST API does (https://docs.github.com/rest) for what
 * the drafter asks: `GET /user`, `GET /search/commits`, `GET /repos/{owner}/{repo}/commits`.
 * It checks the token in `Authorization: Bearer …` (401 with GitHub's body otherwise) and
 * filters commits by the query's author and dates, so a wrong query finds nothing.
 */

export type FakeCommit = { repository: string; sha: string; message: string; at: string; author: string };

export type FakeGithub = {
  url: string;
  /** Tokens it accepts, by the login each belongs to; delete one to "revoke" it. */
  tokens: Map<string, string>;
  commits: FakeCommit[];
  /** Every request: path with query, and the Authorization header. */
  requests: { path: string; authorization: string | null }[];
  stop: () => Promise<void>;
};

function commitJson(commit: FakeCommit, withRepository: boolean) {
  const body = {
    sha: commit.sha,
    html_url: `https://github.com/${commit.repository}/commit/${commit.sha}`,
    commit: {
      message: commit.message,
      author: { name: commit.author, date: commit.at },
      committer: { name: commit.author, date: commit.at },
    },
  };
  return withRepository ? { ...body, repository: { full_name: commit.repository } } : body;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

export function startFakeGithub(): FakeGithub {
  const tokens = new Map<string, string>();
  const commits: FakeCommit[] = [];
  const requests: FakeGithub["requests"] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      const authorization = request.headers.get("authorization");
      requests.push({ path: `${url.pathname}${url.search}`, authorization });
      const login = tokens.get(authorization?.replace(/^Bearer /, "") ?? "");
      if (!login) {
        return json({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest" }, 401);
      }
      if (url.pathname === "/user") return json({ login, id: 1, type: "User" });
      if (url.pathname === "/search/commits") {
        const q = url.searchParams.get("q") ?? "";
        const author = q.match(/author:(\S+)/)?.[1];
        const range = q.match(/committer-date:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})/);
        if (!author || !range) return json({ message: "Validation Failed" }, 422);
        const [from, to] = [range[1] ?? "", range[2] ?? ""];
        const items = commits.filter(
          (c) => c.author === author && c.at.slice(0, 10) >= from && c.at.slice(0, 10) <= to,
        );
        return json({
          total_count: items.length,
          incomplete_results: false,
          items: items.map((c) => commitJson(c, true)),
        });
      }
      const repo = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/commits$/);
      if (repo) {
        const name = `${repo[1]}/${repo[2]}`;
        const author = url.searchParams.get("author");
        const since = url.searchParams.get("since") ?? "";
        const until = url.searchParams.get("until") ?? "9999";
        const items = commits.filter(
          (c) => c.repository === name && c.author === author && c.at >= since && c.at <= until,
        );
        return json(items.map((c) => commitJson(c, false)));
      }
      return json({ message: "Not Found" }, 404);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    tokens,
    commits,
    requests,
    stop: () => server.stop(true),
  };
}
