import type { WorkerRecord } from './hr-event';
import type { Policy, UpnToken } from './policy';

/*
 * any-ascii is published as an ES module only; this CommonJS build loads it with require(esm),
 * which Node 20.19+ supports without a flag (its namespace carries __esModule and `default`).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const anyAscii = (require('any-ascii') as { default: (text: string) => string }).default;

/** A userPrincipalName and the matching mailNickname (the UPN's local part). */
export interface UpnCandidate {
  userPrincipalName: string;
  mailNickname: string;
}

/** How many candidates are generated unless asked otherwise: enough for one directory round trip. */
const DEFAULT_UPN_CANDIDATE_COUNT = 20;

/**
 * Letters any-ascii renders in a way people do not write in names (it follows Unicode names or
 * another language's convention); these take precedence.
 */
const LETTER_OVERRIDES: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  Ø: 'O',
  ø: 'o',
  Æ: 'Ae',
  æ: 'ae',
  Œ: 'Oe',
  œ: 'oe',
  Þ: 'Th',
  þ: 'th',
  Đ: 'D',
  đ: 'd',
  Ł: 'L',
  ł: 'l',
};

/** Unicode text → ASCII: diacritics dropped, non-Latin scripts romanised (any-ascii: Cyrillic, Greek, CJK ...). */
export function transliterate(text: string): string {
  let out = '';
  // Emoji and other symbols are not part of a name; any-ascii would spell them out (":grinning:").
  // ZWJ and VS16 are listed alone on purpose: each is removed wherever it sits, not as part of a sequence.
  // eslint-disable-next-line no-misleading-character-class
  const cleaned = text.normalize('NFC').replace(/[\p{Extended_Pictographic}\p{So}\u200d\ufe0f]/gu, '');
  // Greek ου is one vowel, "ou" (ELOT 743 / ISO 843), not "oy".
  const ou = (pair: string): string => (pair[0] === 'Ο' ? (pair[1] === 'Υ' ? 'OU' : 'Ou') : 'ou');
  const greek = cleaned.replace(/[Οο][Υυύ]/g, ou);
  for (const char of greek) out += LETTER_OVERRIDES[char] ?? char;
  return anyAscii(out);
}

const SEPARATORS = /[.\-_]/;

/** One name → a UPN-safe, lower-case fragment following the policy's whitespace/hyphen/apostrophe choices. */
function namePart(name: string, policy: Policy): string {
  const { whitespace, hyphens, apostrophes } = policy.upn;
  let text = transliterate(name.trim()).toLowerCase();
  // Typographic apostrophes (’ ʼ) become ' in transliteration; backticks too.
  text = text.replace(/[`´]/g, "'");
  if (apostrophes === 'remove') text = text.replace(/'/g, '');
  if (hyphens === 'remove') text = text.replace(/-/g, '');
  const spaceReplacement = whitespace === 'hyphen' ? '-' : whitespace === 'dot' ? '.' : '';
  // Stryker disable next-line Regex: a space at a time gives a run of separators, which tidy() collapses the same
  text = text.replace(/\s+/g, spaceReplacement);
  // Anything else outside A-Z a-z 0-9 ' . - _ (e.g. "(", "&", "/", emoji leftovers) is dropped.
  return tidy(text.replace(/[^a-z0-9'.\-_]/g, ''));
}

function firstLetter(fragment: string): string {
  return fragment.match(/[a-z0-9]/)?.[0] ?? '';
}

function tokenValues(worker: WorkerRecord, policy: Policy): Record<UpnToken, string> {
  const given = namePart(worker.legalGivenName, policy);
  const family = namePart(worker.legalFamilyName, policy);
  return {
    given,
    family,
    givenInitial: firstLetter(given),
    familyInitial: firstLetter(family),
    preferredGiven: worker.preferredGivenName ? namePart(worker.preferredGivenName, policy) : given,
    preferredFamily: worker.preferredFamilyName ? namePart(worker.preferredFamilyName, policy) : family,
    employeeId: worker.employeeId.toLowerCase(),
  };
}

/** Collapses runs of separators (keeping the first) and trims separators at both ends. */
function tidy(localPart: string): string {
  return (
    localPart
      // Stryker disable next-line StringLiteral: a run of two or more characters always has a first one
      .replace(/[.\-_]{2,}/g, (run) => run[0] ?? '')
      .replace(/^[.\-_']+/, '')
      .replace(/[.\-_']+$/, '')
  );
}

function render(pattern: string, values: Record<UpnToken, string>): string {
  const local = pattern.replace(/\{([A-Za-z]+)\}/g, (_, token: string) => values[token as UpnToken] ?? '');
  return tidy(local.toLowerCase());
}

/** Cuts to `max` characters without leaving a separator at the end. */
function cut(localPart: string, max: number): string {
  return tidy(localPart.slice(0, max));
}

function hasNameContent(localPart: string): boolean {
  return /[a-z0-9]/.test(localPart);
}

/**
 * Candidate UPNs for a worker, best first: the policy pattern, its fallbacks, then the first usable
 * base with numbered suffixes (base2, base3 ...). Lower-case; only characters Entra accepts in a UPN
 * local part (learn.microsoft.com/graph/api/resources/user: A-Z a-z 0-9 ' . - _ ! # ^ ~), which are
 * also valid in mailNickname; separators collapsed; at most maxLocalPartLength; never a reserved word.
 */
export function upnCandidates(
  worker: WorkerRecord,
  policy: Policy,
  count = DEFAULT_UPN_CANDIDATE_COUNT,
): UpnCandidate[] {
  const { upn, tenant } = policy;
  const reserved = new Set(upn.reservedWords.map((word) => word.toLowerCase()));
  const values = tokenValues(worker, policy);
  const max = upn.maxLocalPartLength;

  const bases: string[] = [];
  for (const pattern of [upn.pattern, ...upn.fallbackPatterns]) {
    const base = cut(render(pattern, values), max);
    if (hasNameContent(base) && !bases.includes(base)) bases.push(base);
  }
  // A name that transliterates to nothing (symbols only) still gets an account: from the employee id.
  if (bases.length === 0) bases.push(cut(tidy(`user.${values.employeeId}`), max));

  const locals: string[] = [];
  const add = (local: string): void => {
    if (!reserved.has(local) && !locals.includes(local)) locals.push(local);
  };
  for (const base of bases) add(base);

  // Stryker disable next-line StringLiteral: bases is never empty (the employee id fills in for a name)
  const root = bases.find((base) => !reserved.has(base)) ?? bases[0] ?? 'user';
  for (let n = upn.firstSuffix; locals.length < count && n < upn.firstSuffix + count * 2 + 10; n++) {
    const suffix = `${upn.suffixSeparator}${n}`;
    add(`${cut(root, max - suffix.length)}${suffix}`);
  }

  return locals
    .slice(0, count)
    .map((local) => ({ userPrincipalName: `${local}@${tenant.upnDomain.toLowerCase()}`, mailNickname: local }));
}

/**
 * The first candidate whose UPN and mailNickname are both free, or null when all are taken.
 * `taken` holds lower-cased UPNs and mailNicknames (Directory.takenUpnsOrNicknames).
 */
export function chooseUpn(candidates: UpnCandidate[], taken: Set<string>): UpnCandidate | null {
  return (
    candidates.find(
      (candidate) =>
        !taken.has(candidate.userPrincipalName.toLowerCase()) && !taken.has(candidate.mailNickname.toLowerCase()),
    ) ?? null
  );
}

/** True when `localPart` is something upnCandidates could produce (tests and input checks). */
export function isValidUpnLocalPart(localPart: string, max = 64): boolean {
  return (
    localPart.length > 0 &&
    localPart.length <= max &&
    /^[a-z0-9'.\-_!#^~]+$/.test(localPart) &&
    // Stryker disable next-line StringLiteral: only reached for a non-empty local part
    !SEPARATORS.test(localPart[0] ?? '') &&
    // Stryker disable next-line StringLiteral: only reached for a non-empty local part
    !SEPARATORS.test(localPart[localPart.length - 1] ?? '') &&
    !/[.\-_]{2}/.test(localPart)
  );
}
