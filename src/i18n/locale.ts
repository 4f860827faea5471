/**
 * The languages Rapport speaks and how one is chosen: the customer's stored locale first, then the
 * browser's Accept-Language, then English.
 */
export const LOCALES = ['en', 'es', 'id'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

/** The supported language of a BCP 47 tag (`es-MX` → `es`), or null. */
export function supportedLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  // `in` is the pre-1989 code for Indonesian that some old systems still send.
  const normalised = primary === 'in' ? 'id' : primary;
  return (LOCALES as readonly string[]).includes(normalised) ? (normalised as Locale) : null;
}

/** Picks the best supported language from an Accept-Language header, honouring q-values. */
export function fromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  return null;
}

export function chooseLocale(stored: string | null | undefined, acceptLanguage?: string): Locale {
  return supportedLocale(stored) ?? fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}
