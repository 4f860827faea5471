import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRfc3339 } from '../../src/ingest/schema';

describe('RFC 3339 timestamps', () => {
  it('give the instant Date.parse gives, whatever the offset and the fraction', () => {
    const samples = [
      '2026-11-20T14:03:00Z',
      '2026-11-20t14:03:00z',
      '2026-11-20T14:03:00.5Z',
      '2026-11-20T14:03:00.123456789+05:45',
      '2026-02-28T23:59:59.999-03:30',
      '2028-02-29T00:00:00+14:00',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:00:00-01:00',
      '2026-11-20T00:30:00-23:59',
    ];
    for (const value of samples) assert.equal(parseRfc3339(value), Date.parse(value.toUpperCase()), value);
  });

  it('refuse what is not an instant with an offset, or is one before the Unix epoch', () => {
    for (const bad of ['2026-11-20T14:03:00', '2026-11-20 14:03:00Z', '2026-02-29T00:00:00Z', '2026-11-20T24:00:00Z', '2026-11-20T14:60:00Z', '2026-11-20T14:03:60Z', '2026-11-20T14:03:00+24:00', '2026-11-20T14:03:00+05:60', '1969-12-31T23:59:59Z', '1970-01-01T05:00:00+14:00', '2026-11-20T14:03:00.Z', '2026-11-20T14:03:00.1234567890Z', '']) {
      assert.equal(parseRfc3339(bad), null, bad);
    }
  });
});
