/** The current instant in epoch milliseconds. Passed in, so tests can move time. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const DAY_MS = 86_400_000;
