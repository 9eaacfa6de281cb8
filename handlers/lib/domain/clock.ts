/** Milliseconds since the epoch. Injected so expiry logic is tested without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const toEpochSeconds = (ms: number): number => Math.floor(ms / 1000);

/** Waits `ms` milliseconds. Injected beside the clock, so tests see the wait without taking it. */
export type Sleep = (ms: number) => Promise<void>;

export const systemSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` and answers no sooner than `minMs` after it started, success or failure: a
 * request whose work depends on whether an account exists (send mail or not) then takes
 * the same time either way, as long as the work stays under `minMs`.
 */
export async function noSoonerThan<T>(minMs: number, deps: { clock: Clock; sleep: Sleep }, work: () => Promise<T>): Promise<T> {
  const started = deps.clock();
  try {
    return await work();
  } finally {
    const left = started + minMs - deps.clock();
    if (left > 0) await deps.sleep(left);
  }
}
