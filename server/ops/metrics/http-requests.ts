import { Histogram, type Registry } from "prom-client";

type Series = { observe: (seconds: number) => void };

// Any other method (a client may send any token) counts as "other", so it cannot add series.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

// Console pages answer in a few milliseconds: the finer low buckets tell 1 ms from 5 ms.
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * `opsbox_http_request_duration_seconds{method, route, status}`: one histogram, whose `_count`
 * is the request counter. `route` is the matched route's pattern (`/api/v1/tasks/:id`), never
 * the path, so ids never become labels. Every request pays one `observe`: the series are
 * looked up through nested maps (no key string or label object is built per request), and
 * prom-client's child does the rest.
 */
export class HttpRequestMetrics {
  readonly #histogram: Histogram<"method" | "route" | "status">;
  readonly #series = new Map<string, Map<string, Map<number, Series>>>();

  constructor(registry: Registry) {
    this.#histogram = new Histogram({
      name: "opsbox_http_request_duration_seconds",
      help: "HTTP requests by method, matched route pattern and status, with their duration in seconds.",
      labelNames: ["method", "route", "status"],
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const known = METHODS.has(method) ? method : "other";
    let routes = this.#series.get(known);
    if (!routes) {
      routes = new Map();
      this.#series.set(known, routes);
    }
    let statuses = routes.get(route);
    if (!statuses) {
      statuses = new Map();
      routes.set(route, statuses);
    }
    let series = statuses.get(status);
    if (!series) {
      series = this.#histogram.labels(known, route, String(status));
      statuses.set(status, series);
    }
    series.observe(seconds);
  }
}
