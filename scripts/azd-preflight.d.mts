export const MIN_WEBHOOK_KEY_LENGTH: number;
export const LOCAL_WEBHOOK_SECRET: string;
export const MIN_ACTIVATION_KEY_LENGTH: number;
export const LOCAL_ACTIVATION_KEY: string;
export function policySendsMail(policy: {
  leaver?: { notifyManager?: boolean };
  mover?: { notifyManagers?: boolean };
  activation?: { enabled?: boolean };
}): boolean;
export function preflightProblems(
  env: Record<string, string | undefined>,
  policy: Parameters<typeof policySendsMail>[0],
): string[];
export function policyActivates(policy: Parameters<typeof policySendsMail>[0]): boolean;
