import { z } from 'zod';
import { ActivationSection } from './sections/activation';
import { AppSection } from './sections/app';
import { AuditSection } from './sections/audit';
import { GraphSection } from './sections/graph';
import { InboundTokenSection, IntakeSection } from './sections/intake';
import { ServiceBusSection } from './sections/service-bus';

/**
 * The app's one configuration object: every section's schema merged, parsed once from the
 * environment (app settings in Azure, local.settings.json Values locally). A bad or missing setting
 * stops start-up with the setting's name and what is expected.
 *
 * Sections live in ./sections, one file per concern; add a section there and merge it here.
 */
export const ConfigSchema = z.object({
  ...AppSection.shape,
  ...ActivationSection.shape,
  ...AuditSection.shape,
  ...GraphSection.shape,
  ...IntakeSection.shape,
  ...InboundTokenSection.shape,
  ...ServiceBusSection.shape,
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { setting: string; expected: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.setting}: ${p.expected}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "not set" (Azure portal and local.settings.json often carry "").
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ setting: issue.path.join('.') || '(root)', expected: issue.message })),
    );
  }
  return result.data;
}

let cached: Config | undefined;

/** The validated config, read once per process. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests only: forget the cached config. */
export function resetConfigForTests(): void {
  cached = undefined;
}
