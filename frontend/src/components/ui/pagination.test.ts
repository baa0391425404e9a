import { describe, expect, it } from 'vitest';
import { pageWindow } from './pagination';

describe('page window', () => {
  it('shows every page when there are few', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(2, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(1, 0)).toEqual([]);
  });

  it('keeps first and last, the neighbours of the current page, and gaps', () => {
    expect(pageWindow(1, 400)).toEqual([1, 2, 'gap', 400]);
    expect(pageWindow(200, 400)).toEqual([1, 'gap', 199, 200, 201, 'gap', 400]);
    expect(pageWindow(400, 400)).toEqual([1, 'gap', 399, 400]);
  });

  it('shows a single left-out page instead of a gap', () => {
    expect(pageWindow(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('clamps a page out of range', () => {
    expect(pageWindow(99, 5)).toEqual([1, 'gap', 4, 5]);
  });
});
