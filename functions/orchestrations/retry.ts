import * as df from 'durable-functions';

/** Transient Graph failures (throttling, 404 right after create) are retried by the durable runtime. */
export const graphRetry = new df.RetryOptions(2_000, 5);
graphRetry.backoffCoefficient = 2;
graphRetry.maxRetryIntervalInMilliseconds = 60_000;

/**
 * A leaver's access removal outlasts a Graph outage of minutes: 10 attempts, backing off to 5 minutes (about 13
 * minutes in all). With graphRetry's half minute, an outage failed the person's lifecycle mid-leaver and left the
 * account enabled (found by `npm run chaos -- --trials 1 --persons 6 --seed 20261201`, issue 24).
 */
export const leaverRetry = new df.RetryOptions(2_000, 10);
leaverRetry.backoffCoefficient = 2;
leaverRetry.maxRetryIntervalInMilliseconds = 300_000;
