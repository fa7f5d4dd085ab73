import { describe, expect, it } from 'vitest';
import { GUID, type Json, policyWith, problemsOf } from './policy-json';

/**
 * What each field of the policy schema accepts and the reason it gives for what it refuses (issue 15: these are the
 * refusals a policy author reads at start-up). Cross-field checks are in policy-checks.test.ts.
 */

const rule = (over: Json = {}): Json => ({ id: 'all', groups: [{ id: GUID, name: 'All' }], ...over });
const target = (over: Json = {}): Json => ({ id: 'crm', name: 'CRM', baseUrl: 'https://crm.example/scim/v2', ...over });
const app = (over: Json = {}): Json => ({
  id: 'crm',
  name: 'CRM',
  licenceGroups: [{ groupId: GUID, tier: 'Pro', seats: 5, unitPrice: 10, currency: 'EUR' }],
  ...over,
});

const UPN_TOKENS = '{given} {family} {givenInitial} {familyInitial} {preferredGiven} {preferredFamily} {employeeId}';

describe('UPN patterns', () => {
  it.each(['{given}', '{given}.{family}', "{givenInitial}{family}_x-1!#^~'", '{employeeId}', '{preferredFamily}'])(
    'accepts %s',
    (pattern) => expect(problemsOf(policyWith('upn.pattern', pattern))).toEqual([]),
  );

  it('names the unknown tokens and lists the allowed ones', () => {
    expect(problemsOf(policyWith('upn.pattern', '{given}.{surname}{}'))).toEqual([
      `upn.pattern: unknown token(s) {surname}, {}; allowed: ${UPN_TOKENS}`,
    ]);
  });

  it('needs a token and UPN-safe literals, also in fallback patterns', () => {
    expect(problemsOf(policyWith('upn.fallbackPatterns', ['{given}', 'x@y', '{given} {family}']))).toEqual([
      'upn.fallbackPatterns.1: must contain at least one token such as {given} or {family}',
      'upn.fallbackPatterns.1: literal characters must be UPN-safe (A-Z a-z 0-9 \' . - _ ! # ^ ~), got "x@y"',
      'upn.fallbackPatterns.2: literal characters must be UPN-safe (A-Z a-z 0-9 \' . - _ ! # ^ ~), got " "',
    ]);
    expect(problemsOf(policyWith('upn.pattern', ''))).toEqual([
      'upn.pattern: Too small: expected string to have >=1 characters',
      'upn.pattern: must contain at least one token such as {given} or {family}',
    ]);
  });

  it.each([
    ['whitespace', ['remove', 'hyphen', 'dot']],
    ['hyphens', ['keep', 'remove']],
    ['apostrophes', ['keep', 'remove']],
    ['suffixSeparator', ['', '.', '-', '_']],
  ])('upn.%s takes %j and nothing else', (field, values) => {
    for (const value of values) expect(problemsOf(policyWith(`upn.${field}`, value)), value).toEqual([]);
    expect(problemsOf(policyWith(`upn.${field}`, 'other'))[0]).toMatch(new RegExp(`^upn\\.${field}: Invalid option`));
  });

  it('reserved words are listed words', () => {
    expect(problemsOf(policyWith('upn.reservedWords', ['ceo', 'board']))).toEqual([]);
  });
});

describe('domains', () => {
  it.each(['contoso.com', 'mail.contoso.co.uk', 'a-b.example', 'x.museum', `${'a'.repeat(63)}.com`, '1x.io'])(
    'accepts %s',
    // mailDomain: a long upnDomain would also break the 113-character UPN limit.
    (domain) => expect(problemsOf(policyWith('tenant.mailDomain', domain))).toEqual([]),
  );

  it.each([
    'contoso',
    '-contoso.com',
    'contoso-.com',
    'con_toso.com',
    'contoso.c',
    'contoso.c0m',
    `${'a'.repeat(64)}.com`,
    `contoso.${'a'.repeat(64)}`,
    `${`${'a'.repeat(60)}.`.repeat(5)}com`,
  ])('refuses %s', (domain) => {
    expect(problemsOf(policyWith('tenant.mailDomain', domain))).toEqual([
      'tenant.mailDomain: a DNS domain such as contoso.com',
    ]);
  });
});

describe('groups and conditions', () => {
  it('a birthright rule: id, description, conditions of every kind, groups', () => {
    const when = {
      department: ['Engineering', 'Research'],
      jobTitle: { pattern: '^(senior )?engineer$' },
      country: ['FR'],
      employmentType: ['employee', 'contractor'],
      costCenter: ['CC1'],
      company: ['Contoso'],
      city: ['Paris'],
      officeLocation: ['HQ'],
      extension: { costCode: ['X1'] },
    };
    const groups = [
      { id: GUID, name: 'All' },
      { id: GUID.replace(/1$/, '2'), name: 'Engineering' },
    ];
    expect(problemsOf(policyWith('birthright.rules', [rule({ description: 'Everyone', when, groups })]))).toEqual([]);
  });

  it.each(['a', 'eng', 'eng.paris_2-b', '1st'])('accepts the rule id %s', (id) => {
    expect(problemsOf(policyWith('birthright.rules', [rule({ id })]))).toEqual([]);
  });

  it.each(['Eng', '-eng', '.eng', 'eng team', 'ing/eng', ''])('refuses the rule id "%s"', (id) => {
    expect(problemsOf(policyWith('birthright.rules', [rule({ id })]))).toEqual([
      'birthright.rules.0.id: lower-case letters, digits, . _ - (starting with a letter or digit)',
    ]);
  });

  it('refuses empty value lists, a bad job title pattern and an employment type HR does not send', () => {
    const when = { city: [], jobTitle: { pattern: '([a-z]' }, employmentType: ['volunteer'], extension: { k: [] } };
    expect(problemsOf(policyWith('birthright.rules', [rule({ when })]))).toEqual([
      'birthright.rules.0.when.jobTitle.pattern: not a valid regular expression',
      expect.stringMatching(/^birthright\.rules\.0\.when\.employmentType\.0: Invalid option/),
      'birthright.rules.0.when.city: list at least one value (omit the condition to match everyone)',
      'birthright.rules.0.when.extension.k: list at least one value (omit the condition to match everyone)',
    ]);
  });

  it('a group is an object id and a name', () => {
    expect(problemsOf(policyWith('retiredGroups', [{ id: 'not-a-guid', name: 'Old' }, { id: GUID }]))).toEqual([
      'retiredGroups.0.id: an Entra object id (GUID)',
      'retiredGroups.1.name: Invalid input: expected string, received undefined',
    ]);
  });

  it.each(['SPE_E3', 'POWER_BI_PRO', 'VISIOCLIENT', 'E5'])('a licence group sku may be %s', (sku) => {
    expect(problemsOf(policyWith('licenceGroups', [{ id: GUID, name: 'L', sku, addOn: true }]))).toEqual([]);
  });

  it.each(['SPE-E3', 'SPE E3', ''])('a licence group sku may not be "%s"', (sku) => {
    expect(problemsOf(policyWith('licenceGroups', [{ id: GUID, name: 'L', sku }]))).toEqual([
      'licenceGroups.0.sku: a skuPartNumber such as SPE_E3',
    ]);
  });
});

describe('attribute mapping', () => {
  it('takes a display-name pattern of its tokens, employee types and extension attributes 1 to 15', () => {
    const attributeMapping = {
      displayName: '{preferredFamily}, {preferredGiven} ({employeeId}) {given} {family}',
      employeeType: { employee: 'Staff', contractor: 'Vendor', intern: 'Trainee', temporary: 'Temp' },
      extensionAttributes: {
        extensionAttribute1: 'costCenter',
        extensionAttribute9: 'hireDate',
        extensionAttribute15: 'extensions.badgeNumber',
        extensionAttribute2: 'extensions.x',
      },
    };
    expect(problemsOf({ ...policyWith('attributeMapping', attributeMapping) })).toEqual([]);
  });

  it('refuses a display-name token that is not a name part', () => {
    expect(problemsOf(policyWith('attributeMapping.displayName', '{given} {givenInitial}'))).toEqual([
      'attributeMapping.displayName: tokens: {given} {family} {preferredGiven} {preferredFamily} {employeeId}',
    ]);
  });

  it('refuses extension attributes outside 1..15 and sources that are not a worker field or extension', () => {
    const extensionAttributes = {
      extensionAttribute0: 'department',
      extensionAttribute16: 'department',
      extensionAttribute3: 'extensions.',
      extensionAttribute4: 'extensions.a.b',
      extensionAttribute5: 'extensions.a b',
      extensionAttribute6: 'my.extensions.a',
      extensionAttribute7: 'legalGivenName',
    };
    const sources =
      'one of employeeId, department, jobTitle, costCenter, company, country, city, officeLocation, ' +
      'employmentType, managerEmployeeId, hireDate, leaveDate or extensions.<key>';
    expect(problemsOf(policyWith('attributeMapping.extensionAttributes', extensionAttributes))).toEqual([
      ...[3, 4, 5, 6, 7].map((n) => `attributeMapping.extensionAttributes.extensionAttribute${n}: ${sources}`),
      'attributeMapping.extensionAttributes.extensionAttribute0: only extensionAttribute1 .. extensionAttribute15',
      'attributeMapping.extensionAttributes.extensionAttribute16: only extensionAttribute1 .. extensionAttribute15',
    ]);
  });
});

describe('SCIM targets', () => {
  it('takes bearer and client-credentials auth, a mapping, groups and overrides', () => {
    const targets = [
      target({ auth: { type: 'bearer', tokenSetting: 'SCIM_CRM_TOKEN' }, groups: ['Sales'], onLeave: 'delete' }),
      target({
        id: 'wiki-2',
        auth: {
          type: 'oauthClientCredentials',
          tokenUrl: 'https://login.example/token',
          clientId: 'app',
          clientSecretSetting: '_WIKI_SECRET',
          scope: 'scim',
        },
        mapping: { userName: 'upn', 'emails[type eq "work"].value': 'mail', 'name.givenName': null, title: 'jobTitle' },
        overrides: { patch: false, filter: true, etag: true },
      }),
      target({ id: 'legacy', tokenSecretName: 'SCIM_LEGACY_TOKEN' }),
    ];
    expect(problemsOf(policyWith('scimTargets', targets))).toEqual([]);
  });

  it('refuses a bad target id, an app setting name that is not one, and auth given twice', () => {
    const targets = [
      target({ id: 'CRM' }),
      target({ id: 'two', auth: { type: 'bearer', tokenSetting: '1TOKEN' } }),
      target({ id: 'three', auth: { type: 'bearer', tokenSetting: 'T' }, tokenSecretName: 'T' }),
      target({ id: 'four', auth: { type: 'basic', tokenSetting: 'T' } }),
    ];
    expect(problemsOf(policyWith('scimTargets', targets))).toEqual([
      'scimTargets.0.id: lower-case letters, digits and hyphens',
      'scimTargets.1.auth.tokenSetting: an app setting name (letters, digits and _), e.g. SCIM_CRM_TOKEN',
      'scimTargets.2.tokenSecretName: set either auth or tokenSecretName',
      "scimTargets.3.auth.type: Invalid discriminator value. Expected 'bearer' | 'oauthClientCredentials'",
    ]);
  });

  it('refuses a mapping path or expression it cannot use, naming the attribute', () => {
    const mapping = { 'emails[type eq "work"]': 'mail', title: 'Shout(jobTitle)' };
    expect(problemsOf(policyWith('scimTargets', [target({ mapping })]))).toEqual([
      'scimTargets.0.mapping.title: unsupported mapping function Shout',
      'scimTargets.0.mapping.emails[type eq "work"]: "emails[type eq "work"]": ' +
        'a value filter needs a sub-attribute (e.g. emails[type eq "work"].value)',
    ]);
  });
});

describe('Lifecycle Workflows tasks', () => {
  const lcw = (tasks: Json[], callbackTimeout?: string): Json =>
    policyWith('lifecycleWorkflows', { tasks, ...(callbackTimeout === undefined ? {} : { callbackTimeout }) });

  it('takes tasks matched by name or id, an access package and a callback timeout from PT5M to PT3H', () => {
    const tasks = [
      { match: { taskDisplayName: 'Activate' }, run: 'activation' },
      { match: { workflowDisplayName: 'Leavers', taskId: GUID }, run: 'leaver' },
      {
        match: { taskDisplayName: 'Sales kit' },
        run: 'accessPackage',
        accessPackage: { groups: [{ id: GUID, name: 'Sales' }], scimTargets: [] },
      },
    ];
    for (const timeout of ['PT5M', 'PT3H', 'PT1H30M', undefined])
      expect(problemsOf(lcw(tasks, timeout)), timeout).toEqual([]);
  });

  it('refuses a match naming nothing, an access package on the wrong task, and a timeout out of range', () => {
    const tasks = [
      { match: {}, run: 'leaver' },
      { match: { taskDisplayName: 'Kit' }, run: 'accessPackage' },
      { match: { taskDisplayName: 'Bye' }, run: 'leaver', accessPackage: { groups: [{ id: GUID, name: 'G' }] } },
    ];
    expect(problemsOf(lcw(tasks))).toEqual([
      'lifecycleWorkflows.tasks.0.match: name at least one of taskDisplayName, workflowDisplayName, taskId',
      'lifecycleWorkflows.tasks.1.accessPackage: required with run: accessPackage, and only then',
      'lifecycleWorkflows.tasks.2.accessPackage: required with run: accessPackage, and only then',
    ]);
    const reason = 'an ISO 8601 duration from PT5M to PT3H (the custom task extension callback timeout)';
    for (const timeout of ['PT4M59S', 'PT3H0M1S', 'an hour', 'P1D'])
      expect(problemsOf(lcw([], timeout)), timeout).toEqual([`lifecycleWorkflows.callbackTimeout: ${reason}`]);
  });
});

describe('licence reports', () => {
  it('takes apps, owners, thresholds, remediation, notifications and costs', () => {
    const licences = {
      apps: [app({ unlicensedGroups: [], when: { department: ['Sales'] } }), app({ id: 'wiki-2', name: 'W' })],
      owners: ['it@contoso.com'],
      thresholds: { utilisationBelow: 0.5, availableBelow: 2 },
      remediation: { removeFromDeparted: true, moveDirectToGroup: true, endExpiredAccess: true, daily: true },
      notifications: { person: true, manager: true },
      costs: [{ skuPartNumber: 'SPE_E3', unitPrice: 33.5, currency: 'USD' }],
    };
    expect(problemsOf(policyWith('licences', licences))).toEqual([
      `licences.apps.1.licenceGroups.0.groupId: group ${GUID} is already used by app "crm"`,
    ]);
    licences.apps[1] = app({ id: 'wiki-2', name: 'W', licenceGroups: [] });
    expect(problemsOf(policyWith('licences', licences))).toEqual([
      'licences.apps.1.licenceGroups: Too small: expected array to have >=1 items',
    ]);
    licences.apps.pop();
    expect(problemsOf(policyWith('licences', licences))).toEqual([]);
  });

  it.each([
    ['app id', { apps: [app({ id: 'Crm' })] }, 'licences.apps.0.id: lower-case letters, digits and hyphens'],
    ['app id', { apps: [app({ id: '-crm' })] }, 'licences.apps.0.id: lower-case letters, digits and hyphens'],
    [
      'currency',
      { apps: [app({ licenceGroups: [{ groupId: GUID, tier: 'P', seats: 1, unitPrice: 1, currency: 'eur' }] })] },
      'licences.apps.0.licenceGroups.0.currency: an ISO 4217 currency code such as EUR',
    ],
    [
      'currency',
      { costs: [{ skuPartNumber: 'SPE_E3', unitPrice: 1, currency: 'EURO' }] },
      'licences.costs.0.currency: an ISO 4217 currency code such as EUR',
    ],
    [
      'sku',
      { costs: [{ skuPartNumber: 'SPE E3', unitPrice: 1, currency: 'EUR' }] },
      'licences.costs.0.skuPartNumber: a skuPartNumber such as SPE_E3',
    ],
  ])('refuses a bad %s', (_what, licences, problem) => {
    expect(problemsOf(policyWith('licences', licences))).toEqual([problem]);
  });

  it.each(['crm', 'crm-2', '9'])('an app id may be %s', (id) => {
    expect(problemsOf(policyWith('licences', { apps: [app({ id })] }))).toEqual([]);
  });
});
