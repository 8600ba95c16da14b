import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError, errMissingField, errInvalidValue, errMultipleOneOf } from './index.ts';

describe('FieldError prints like knative apis.FieldError', () => {
  it('prefixes paths with fields, indexes and keys', () => {
    const err = errMissingField('Image').viaFieldIndex('steps', 0).viaField('spec');
    assert.equal(err.toString(), 'missing field(s): spec.steps[0].Image');
    assert.equal(FieldError.of('bad', ['value']).viaKey('foo').viaField('params').toString(), 'bad: params[foo].value');
  });

  it('merges equal messages, unions and sorts their paths, and sorts entries by message', () => {
    const err = errMissingField('b').also(errMissingField('a'), errMultipleOneOf('x', 'y'), undefined);
    assert.equal(err.toString(), 'expected exactly one, got both: x, y\nmissing field(s): a, b');
  });

  it('prints details on the next line and a pathless error with a trailing colon', () => {
    const err = errInvalidValue('"Foo_Bar"', 'name', 'Task step name must be a valid DNS Label').viaFieldIndex('steps', 0);
    assert.equal(err.toString(), 'invalid value: "Foo_Bar": steps[0].name\nTask step name must be a valid DNS Label');
    assert.equal(FieldError.of('feature requires "enable-api-fields"').viaField('spec').toString(), 'feature requires "enable-api-fields": ');
  });

  it('merge of nothing is undefined', () => assert.equal(FieldError.merge(undefined, undefined), undefined));
});
