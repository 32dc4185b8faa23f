import { describe, expect, it } from 'vitest';
import { emptyRuleForm, parseChannelIds, ruleBody, ruleToForm } from './rules';

describe('rule form', () => {
  const form = { ...emptyRuleForm(), name: 'north', transitions: ['dead' as const, 'late' as const], tag: 'site:north', channels: [2] };

  it('sends the transitions in the server order and empty timings as defaults', () => {
    expect(ruleBody(form)).toEqual({ body: {
      name: 'north', transitions: ['late', 'dead'], tag: 'site:north', channels: [2], groupWaitSeconds: null, groupIntervalSeconds: null, repeatIntervalSeconds: null,
    } });
    expect(ruleBody({ ...form, tag: ' ' })).toHaveProperty('body.tag', null);
    expect(ruleBody({ ...form, groupWait: '0', repeatInterval: '60' })).toHaveProperty('body.groupWaitSeconds', 0);
  });

  it('refuses a form the server would refuse', () => {
    expect(ruleBody({ ...form, name: '' })).toHaveProperty('error');
    expect(ruleBody({ ...form, transitions: [] })).toHaveProperty('error', 'Pick at least one transition.');
    expect(ruleBody({ ...form, channels: [] })).toHaveProperty('error', 'Pick at least one channel.');
    expect(ruleBody({ ...form, tag: 'bad tag' })).toHaveProperty('error');
    expect(ruleBody({ ...form, groupInterval: '0' })).toHaveProperty('error', 'groupIntervalSeconds is 1 to 604800 seconds.');
    expect(ruleBody({ ...form, groupWait: 'soon' })).toHaveProperty('error');
    expect(ruleBody({ ...form, repeatInterval: String(31 * 86400) })).toHaveProperty('error');
  });

  it('round-trips a stored rule', () => {
    const rule = { id: 1, name: 'r', transitions: ['stale' as const], tag: null, channels: [4, 5], groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 14400, createdAt: '', createdBy: '', updatedAt: '' };
    expect(ruleBody(ruleToForm(rule))).toEqual({ body: { name: 'r', transitions: ['stale'], tag: null, channels: [4, 5], groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 14400 } });
  });

  it('reads typed channel ids', () => {
    expect(parseChannelIds('3, 5 3')).toEqual([3, 5]);
    expect(parseChannelIds('3, x')).toBeNull();
    expect(parseChannelIds('0')).toBeNull();
  });
});
