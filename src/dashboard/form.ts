/** Reading dashboard form fields and query parameters: a field given twice or not as text counts as absent. */

export function formText(body: Record<string, unknown> | undefined, name: string): string | null {
  const value = body?.[name];
  return typeof value === 'string' ? value : null;
}

/** Where to go after login: a path on this site only (never `//host` or a full URL). */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 500) return '/';
  return value;
}
