import { z } from 'zod';

/**
 * Email one-time-passcode self-activation (policy: `activation`). The HMAC key protects the stored code and link
 * hashes: put it in Key Vault and reference it from the app setting
 * (`@Microsoft.KeyVault(SecretUri=...)`). Outside the local host the app refuses to activate anyone without it.
 */
export const ActivationSection = z.object({
  /** ≥ 32 characters of randomness (e.g. `openssl rand -base64 48`). */
  ACTIVATION_HMAC_KEY: z.string().min(32, 'at least 32 characters (openssl rand -base64 48)').optional(),
  /** Shown on the activation page and mails. */
  ACTIVATION_ORG_NAME: z.string().min(1).max(100).default('Contoso'),
  /** https URL of the organisation's logo (page and mails); the page's CSP allows this origin for images. */
  ACTIVATION_ORG_LOGO_URL: z.url().optional(),
  /** Where the TAP page sends the person to register their methods. */
  ACTIVATION_SIGN_IN_URL: z.url().default('https://aka.ms/mysecurityinfo'),
  /** Page requests per client IP per 15 minutes. */
  ACTIVATION_IP_LIMIT: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Page requests per activation per hour (whatever the IP). */
  ACTIVATION_PERSON_LIMIT: z.coerce.number().int().min(1).max(1000).default(20),
  /** Self-service "send me a new code" per person per day. */
  ACTIVATION_RESEND_LIMIT: z.coerce.number().int().min(1).max(100).default(5),
});
