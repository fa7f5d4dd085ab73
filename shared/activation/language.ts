import { z } from 'zod';

/** Languages the activation mails and page are written in. */
export const ActivationLanguage = z.enum(['en', 'fr']);
export type ActivationLanguage = z.infer<typeof ActivationLanguage>;

/**
 * Countries whose first official language is French (ISO 3166-1 alpha-2). Multilingual countries where French
 * is one language among others (BE, CH, CA, LU) are not listed: the worker's preferredLanguage decides there.
 */
const FRENCH_COUNTRIES = new Set([
  'FR',
  'MC',
  'BJ',
  'BF',
  'CD',
  'CG',
  'CI',
  'GA',
  'GN',
  'ML',
  'NE',
  'SN',
  'TG',
  'PF',
  'NC',
  'RE',
  'GP',
  'MQ',
  'GF',
  'YT',
  'PM',
  'WF',
  'BL',
  'MF',
]);

/** The worker's preferredLanguage (BCP 47, e.g. fr-CA) when we have it, else their country, else English. */
export function chooseLanguage(worker: {
  preferredLanguage?: string | null;
  country?: string | null;
}): ActivationLanguage {
  const primary = worker.preferredLanguage?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary) {
    const known = ActivationLanguage.safeParse(primary);
    if (known.success) return known.data;
  }
  if (worker.country && FRENCH_COUNTRIES.has(worker.country.toUpperCase())) return 'fr';
  return 'en';
}
