/**
 * Refuses names where one word mixes Latin letters with Cyrillic or Greek letters: the classic
 * homoglyph trick ("Аdmin" with a Cyrillic А) that would create a look-alike account. Whole words in
 * one script (Дмитрий, Αλέξανδρος) are fine. Based on Unicode TR39 mixed-script detection.
 */
const LATIN = /\p{Script=Latin}/u;
const CONFUSABLE_SCRIPTS = [/\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];

export function mixedScriptWord(text: string): string | null {
  // Stryker disable next-line Regex: equivalent, splitting at each separator only adds empty words, never mixed.
  for (const word of text.split(/[\s\-'’.]+/)) {
    if (LATIN.test(word) && CONFUSABLE_SCRIPTS.some((script) => script.test(word))) return word;
  }
  return null;
}
