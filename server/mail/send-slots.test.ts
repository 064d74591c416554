import { expect, test } from "bun:test";
import { SendSlots } from "./send-slots.ts";

test("no more holders than slots: the next waits for a release, first come first served; an abort gives up the wait", async () => {
  const slots = new SendSlots(2);
  const never = new AbortController().signal;
  const first = await slots.acquire(never);
  const second = await slots.acquire(never);
  const order: string[] = [];
  const third = slots.acquire(never).then((release) => {
    order.push("third");
    return release;
  });
  const leaving = new AbortController();
  const gaveUp = slots.acquire(leaving.signal);
  const fourth = slots.acquire(never).then((release) => {
    order.push("fourth");
    return release;
  });
  await Bun.sleep(5);
  expect(order).toEqual([]);
  leaving.abort();
  expect(await gaveUp).toBeNull();
  first?.();
  first?.(); // a second release of the same slot frees nothing more
  await Bun.sleep(5);
  expect(order).toEqual(["third"]);
  second?.();
  await fourth;
  expect(order).toEqual(["third", "fourth"]);
  (await third)?.();
  expect(await slots.acquire(AbortSignal.abort())).toBeNull();
});
