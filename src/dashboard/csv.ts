/**
 * CSV for spreadsheets (RFC 4180): CRLF line ends, fields with a quote, comma or line break quoted and
 * their quotes doubled. A text cell that a spreadsheet would read as a formula (starting with =, +, −, @,
 * or a tab or carriage return that some programs skip) gets a leading apostrophe (OWASP's advice), so a
 * customer's comment can never run as a formula on a lead's machine. Numbers are written as they are.
 */
import type { Response } from 'express';

export type CsvCell = string | number | boolean | null;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Starts a CSV download. */
export function startCsv(res: Response, filename: string, header: readonly string[]): void {
  res.status(200).set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  });
  res.write(csvLine(header));
}

/** Writes a chunk, waiting when the client reads slower than we write (or until it goes away). */
export async function writeCsv(res: Response, text: string): Promise<void> {
  if (res.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
