import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, createHistory, HISTORY_LIMIT, record, redo, reset, undo } from './history';

describe('undo and redo', () => {
  it('undoes and redoes every step', () => {
    let h = createHistory('a');
    h = record(h, 'b');
    h = record(h, 'c');
    expect(h.present).toBe('c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(redo(h));
    expect(h.present).toBe('c');
    expect(canRedo(h)).toBe(false);
  });

  it('a new edit after undo drops the redo steps', () => {
    let h = record(record(createHistory(1), 2), 3);
    h = record(undo(h), 4);
    expect(h.present).toBe(4);
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(2);
  });

  it('merges typing in one place into one step, but not across places, pauses or undo', () => {
    let h = createHistory('');
    h = record(h, 'H', 'title:label', 1000);
    h = record(h, 'He', 'title:label', 1300);
    h = record(h, 'Hel', 'title:label', 1600);
    expect(h.past).toEqual(['']);
    h = record(h, 'Hel!', 'title:help', 1700);
    expect(h.past).toEqual(['', 'Hel']);
    h = record(h, 'Hel!?', 'title:help', 5000);
    expect(h.past).toEqual(['', 'Hel', 'Hel!']);
    h = undo(h);
    h = record(h, 'x', 'title:help', 5100);
    expect(h.past).toEqual(['', 'Hel', 'Hel!']);
  });

  it('does not record a step that changes nothing', () => {
    const h = createHistory({ a: 1 });
    expect(record(h, h.present)).toBe(h);
  });

  it('keeps at most the limit of steps', () => {
    let h = createHistory(0);
    for (let i = 1; i <= HISTORY_LIMIT + 50; i++) h = record(h, i);
    expect(h.past.length).toBe(HISTORY_LIMIT);
    expect(h.past[0]).toBe(50);
  });

  it('reset replaces the present without a step', () => {
    const h = reset(record(createHistory(1), 2), 5);
    expect(h.present).toBe(5);
    expect(undo(h).present).toBe(1);
    expect(reset(h, 9, false)).toEqual(createHistory(9));
  });
});
