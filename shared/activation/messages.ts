import type { ActivationLanguage } from './language';

/**
 * Every sentence of the activation mails and page, per language. Placeholders are {name} style and filled with
 * escaped values by the templates. Add a language: one more entry here and in ActivationLanguage.
 */
export interface Messages {
  htmlLang: string;
  mailSubject: string;
  reminderSubject: string;
  mailGreeting: string;
  mailIntro: string;
  mailReminderIntro: string;
  mailCodeLabel: string;
  mailCodeValidity: string;
  mailLinkLabel: string;
  mailLinkExpiry: string;
  mailIgnore: string;
  managerExpiredSubject: string;
  managerExpiredBody: string;
  managerActivatedSubject: string;
  managerActivatedBody: string;
  pageTitle: string;
  pageIntro: string;
  codeLabel: string;
  codeHint: string;
  submit: string;
  resend: string;
  errorHeading: string;
  wrongCode: string;
  codeExpired: string;
  lockedTitle: string;
  lockedBody: string;
  invalidTitle: string;
  invalidBody: string;
  sentTitle: string;
  sentBody: string;
  tooManyTitle: string;
  tooManyBody: string;
  failedTitle: string;
  failedBody: string;
  doneTitle: string;
  doneIntro: string;
  tapLabel: string;
  accountLabel: string;
  tapValidity: string;
  tapOnce: string;
  tapMany: string;
  tapNext: string;
  tapWarning: string;
}

const en: Messages = {
  htmlLang: 'en',
  mailSubject: 'Activate your {org} account',
  reminderSubject: 'Reminder: activate your {org} account',
  mailGreeting: 'Hello {name},',
  mailIntro: 'Welcome to {org}. To activate your work account, open the link below and enter this code.',
  mailReminderIntro:
    'Your {org} work account is not activated yet. Here is a new code; the codes sent before no longer work.',
  mailCodeLabel: 'Your code',
  mailCodeValidity: 'The code is valid for {minutes} minutes. On the page you can ask for a new one.',
  mailLinkLabel: 'Activate my account',
  mailLinkExpiry: 'The link works once, until {date}.',
  mailIgnore: 'If you were not expecting this message, you can ignore it.',
  managerExpiredSubject: '{name} has not activated their account',
  managerExpiredBody:
    '{name} did not activate their {org} account before the activation ended ({date}). ' +
    'Their account stays disabled. Ask IT to send a new activation once you have checked their personal address.',
  managerActivatedSubject: '{name} has activated their account',
  managerActivatedBody: '{name} has activated their {org} account and can now sign in.',
  pageTitle: 'Activate your account',
  pageIntro: 'Enter the code from the email we sent to your personal address.',
  codeLabel: 'Activation code',
  codeHint: '{length} digits',
  submit: 'Activate',
  resend: 'Send me a new code',
  errorHeading: 'There is a problem',
  wrongCode: 'That code is not correct. Attempts left: {left}.',
  codeExpired: 'This code has expired. Ask for a new code below.',
  lockedTitle: 'Too many attempts',
  lockedBody:
    'This activation is locked after too many wrong codes. Contact your manager or IT: they can send you a new code.',
  invalidTitle: 'This link does not work',
  invalidBody:
    'The link may have expired, been used already, or been replaced by a newer email. ' +
    'Use the link in the most recent email, or contact your manager or IT.',
  sentTitle: 'A new code is on its way',
  sentBody:
    'Check your personal email in a few minutes and use the link in the new message. This link no longer works.',
  tooManyTitle: 'Please wait',
  tooManyBody: 'Too many requests. Try again in {minutes} minutes.',
  failedTitle: 'Something went wrong',
  failedBody: 'Your account could not be activated just now. Your link still works: please try again in a few minutes.',
  doneTitle: 'Your account is active',
  doneIntro: 'Sign in with the details below and register your sign-in method (passkey or Authenticator app).',
  tapLabel: 'Temporary Access Pass',
  accountLabel: 'Your account',
  tapValidity: 'Valid for {minutes} minutes.',
  tapOnce: 'It works for one sign-in.',
  tapMany: 'It works for several sign-ins during that time.',
  tapNext: 'Go to {url}, sign in with your account and this pass, then add a passkey or the Authenticator app.',
  tapWarning: 'This page shows the pass only once. It is not stored anywhere: write it down before you leave.',
};

const fr: Messages = {
  htmlLang: 'fr',
  mailSubject: 'Activez votre compte {org}',
  reminderSubject: 'Rappel : activez votre compte {org}',
  mailGreeting: 'Bonjour {name},',
  mailIntro:
    'Bienvenue chez {org}. Pour activer votre compte professionnel, ouvrez le lien ci-dessous et saisissez ce code.',
  mailReminderIntro:
    "Votre compte professionnel {org} n'est pas encore activé. Voici un nouveau code ; les codes précédents ne " +
    'fonctionnent plus.',
  mailCodeLabel: 'Votre code',
  mailCodeValidity: 'Le code est valable {minutes} minutes. Sur la page, vous pouvez en demander un nouveau.',
  mailLinkLabel: 'Activer mon compte',
  mailLinkExpiry: "Le lien ne sert qu'une fois, jusqu'au {date}.",
  mailIgnore: 'Si vous ne vous attendiez pas à ce message, vous pouvez l’ignorer.',
  managerExpiredSubject: "{name} n'a pas activé son compte",
  managerExpiredBody:
    "{name} n'a pas activé son compte {org} avant la fin de l'activation ({date}). Le compte reste désactivé. " +
    "Demandez au service informatique d'envoyer une nouvelle activation après avoir vérifié son adresse " +
    'personnelle.',
  managerActivatedSubject: '{name} a activé son compte',
  managerActivatedBody: '{name} a activé son compte {org} et peut maintenant se connecter.',
  pageTitle: 'Activez votre compte',
  pageIntro: 'Saisissez le code reçu dans le message envoyé à votre adresse personnelle.',
  codeLabel: "Code d'activation",
  codeHint: '{length} chiffres',
  submit: 'Activer',
  resend: "M'envoyer un nouveau code",
  errorHeading: 'Il y a un problème',
  wrongCode: "Ce code n'est pas correct. Essais restants : {left}.",
  codeExpired: 'Ce code a expiré. Demandez un nouveau code ci-dessous.',
  lockedTitle: "Trop d'essais",
  lockedBody:
    'Cette activation est bloquée après trop de codes erronés. Contactez votre responsable ou le service ' +
    'informatique : ils peuvent vous envoyer un nouveau code.',
  invalidTitle: 'Ce lien ne fonctionne pas',
  invalidBody:
    'Le lien a peut-être expiré, déjà servi, ou été remplacé par un message plus récent. Utilisez le lien du ' +
    'dernier message reçu, ou contactez votre responsable ou le service informatique.',
  sentTitle: 'Un nouveau code arrive',
  sentBody:
    'Consultez votre messagerie personnelle dans quelques minutes et utilisez le lien du nouveau message. ' +
    'Ce lien ne fonctionne plus.',
  tooManyTitle: 'Veuillez patienter',
  tooManyBody: 'Trop de demandes. Réessayez dans {minutes} minutes.',
  failedTitle: 'Une erreur est survenue',
  failedBody:
    "Votre compte n'a pas pu être activé pour le moment. Votre lien fonctionne toujours : réessayez dans " +
    'quelques minutes.',
  doneTitle: 'Votre compte est actif',
  doneIntro:
    'Connectez-vous avec les informations ci-dessous et enregistrez votre méthode de connexion (clé d’accès ' +
    'ou application Authenticator).',
  tapLabel: "Passe d'accès temporaire",
  accountLabel: 'Votre compte',
  tapValidity: 'Valable {minutes} minutes.',
  tapOnce: 'Il ne sert que pour une connexion.',
  tapMany: 'Il sert pour plusieurs connexions pendant cette durée.',
  tapNext:
    'Allez sur {url}, connectez-vous avec votre compte et ce passe, puis ajoutez une clé d’accès ou ' +
    "l'application Authenticator.",
  tapWarning:
    "Cette page n'affiche le passe qu'une seule fois. Il n'est conservé nulle part : notez-le avant de partir.",
};

const ALL: Record<ActivationLanguage, Messages> = { en, fr };

export function messages(language: ActivationLanguage): Messages {
  return ALL[language];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Fills {placeholders}; values are escaped for HTML unless `html` is false (plain-text mail). */
export function fill(template: string, values: Record<string, string | number>, html = true): string {
  const filled = template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? `\u0000${key}\u0000` : whole));
  const escaped = html ? escapeHtml(filled) : filled;
  // NUL marks placeholders: it can never come from a template or a value (names refuse control characters).
  // eslint-disable-next-line no-control-regex
  return escaped.replace(/\u0000(\w+)\u0000/g, (_, key: string) => {
    const value = String(values[key]);
    return html ? escapeHtml(value) : value;
  });
}

/** A date as the reader's language writes it (UTC, since the mail cannot know the reader's zone). */
export function formatDate(iso: string, language: ActivationLanguage): string {
  return (
    new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(new Date(iso)) + ' UTC'
  );
}
