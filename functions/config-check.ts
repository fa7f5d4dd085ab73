import { ConfigError, parseConfig } from '../shared/config/config';
import { scimSettingProblems } from '../shared/config/sections/scim';
import { loadPolicy } from '../shared/domain/policy';

/**
 * Checked when the worker loads the app, before any trigger runs: a bad or contradictory setting (or policy file)
 * stops start-up with the setting's name (an enabled SCIM target's token setting included) instead of surfacing
 * later as a failed HR event. Parsed, not cached: the local host sets WEBSITE_HOSTNAME only once it listens, and the
 * cached config is read at first use.
 */
const config = parseConfig(process.env);
const scimProblems = scimSettingProblems(loadPolicy(config.ENTRA_JML_POLICY_FILE));
if (scimProblems.length) throw new ConfigError(scimProblems);
