import { jsonOf } from "../work/approvals/test-kit.ts";
import type { BroadcastJson, RecipientJson } from "./schemas.ts";

/** Test helpers of the broadcast tests. */

export type BroadcastWithRecipients = BroadcastJson & { recipients: RecipientJson[] };

type Call = (method: string, path: string) => Promise<Response>;

/**
 * Reads a broadcast through the API until the background step has written every recipient (and
 * `also` holds: the outbox worker sends on its own time); fails naming where it stands.
 */
export async function untilDelivered(
  call: Call,
  id: string,
  also: (broadcast: BroadcastWithRecipients) => boolean = () => true,
  ms = 10_000,
): Promise<BroadcastWithRecipients> {
  const deadline = Date.now() + ms;
  for (;;) {
    const broadcast = await jsonOf<BroadcastWithRecipients>(await call("GET", `/api/v1/broadcasts/${id}`), 200);
    if (broadcast.status === "sent" && also(broadcast)) return broadcast;
    if (Date.now() > deadline)
      throw new Error(`broadcast ${id} still ${broadcast.status}: ${JSON.stringify(broadcast.counts)}`);
    await Bun.sleep(20);
  }
}
