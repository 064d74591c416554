/**
 * Wake-ups for background workers of one kind in this process (tests run several apps in one
 * process, so there may be several): `wake` calls every registered one.
 */
export function wakeUps(): { wake: () => void; on: (wake: () => void) => () => void } {
  const workers = new Set<() => void>();
  return {
    wake: () => {
      for (const wake of workers) wake();
    },
    on: (wake) => {
      workers.add(wake);
      return () => workers.delete(wake);
    },
  };
}
