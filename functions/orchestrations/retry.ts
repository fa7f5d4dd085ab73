import * as df from 'durable-functions';

/** Transient Graph failures (throttling, 404 right after create) are retried by the durable runtime. */
export const graphRetry = new df.RetryOptions(2_000, 5);
graphRetry.backoffCoefficient = 2;
graphRetry.maxRetryIntervalInMilliseconds = 60_000;
