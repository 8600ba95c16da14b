import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParsedEvents } from './parsed-events.ts';
import type { KObject } from './types.ts';

const obj = (name: string): KObject => Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: Object.freeze({ name }) });

describe('ParsedEvents', () => {
  it('shares a committed event, parses what a rolled-back transaction wrote under the same revision, and forgets the oldest', () => {
    const p = new ParsedEvents(2);
    const mine = obj('mine');
    p.written({ rv: 1, type: 'ADDED', object: mine });
    p.ended(true);
    assert.equal(p.object(1, '{"never":"parsed"}'), mine);
    p.written({ rv: 2, type: 'ADDED', object: obj('rolled-back') });
    p.ended(false);
    const other = p.object(2, JSON.stringify(obj('another process')));
    assert.equal(other.metadata.name, 'another process');
    assert.ok(Object.isFrozen(other.metadata));
    assert.equal(p.object(2, '{}'), other, 'parsed once');
    p.object(3, JSON.stringify(obj('third')));
    assert.equal(p.object(1, JSON.stringify(obj('again'))).metadata.name, 'again', 'the oldest was forgotten');
  });
});
