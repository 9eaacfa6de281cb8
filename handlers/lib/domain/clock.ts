/** Milliseconds since the epoch. Injected so expiry logic is tested without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const toEpochSeconds = (ms: number): number => Math.floor(ms / 1000);
