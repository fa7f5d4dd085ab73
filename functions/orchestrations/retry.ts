import * as df from 'durable-functions';

/** Transient Graph failures (throttling, 404 right after create) are retried by the durable runtime. */
export const graphRetry = new df.RetryOptions(2_000, 5);
graphRetry.backoffCoefficient = 2;
graphRetry.maxRetryIntervalInMilliseconds = 60_000;

/**
 * A lifecycle step's directory write outlasts a Graph outage of minutes: 8 attempts, 5 s doubling to 2 minutes
 * (5+10+20+40+80+120+120 s, about 6.5 minutes in all), for the steps the person orchestration calls itself (enable,
 * disable, activation) and the leaver's removal. With graphRetry's half minute an outage failed the person's
 * lifecycle mid-leaver with the account enabled (`npm run chaos -- --trials 1 --persons 6 --seed 20261201`,
 * issue 24). Past this, the step is not given up either: the person orchestration keeps it pending and runs it
 * again on its own timer, 1 minute doubling to 30 (shared/orchestration/pending-steps.ts). Kept well inside
 * Durable's rules: a retry interval is a durable timer, nothing sleeps in an activity.
 */
export const stepRetry = new df.RetryOptions(5_000, 8);
stepRetry.backoffCoefficient = 2;
stepRetry.maxRetryIntervalInMilliseconds = 120_000;
