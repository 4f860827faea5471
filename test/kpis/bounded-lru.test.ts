import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedLru } from '../../src/kpis/bounded-lru';

describe('a bounded least-recently-used map', () => {
  it('drops the least recently used entries past its capacity, counting a get as a use and a peek not', () => {
    const lru = new BoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    assert.equal(lru.get('a'), 'A');
    assert.equal(lru.peek('b'), 'B');
    lru.set('c', 'C', 4);
    assert.deepEqual(['a', 'b', 'c'].map((k) => lru.peek(k)), ['A', undefined, 'C']);
    assert.equal(lru.weight, 8);
    assert.equal(lru.size, 2);
  });

  it('replaces an entry under the same key, and keeps nothing heavier than its whole capacity', () => {
    const lru = new BoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('a', 'A2', 6);
    assert.equal(lru.peek('a'), 'A2');
    assert.equal(lru.weight, 6);
    lru.set('a', 'huge', 11);
    assert.equal(lru.peek('a'), undefined);
    assert.equal(lru.weight, 0);
  });
});
