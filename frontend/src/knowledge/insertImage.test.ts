import { describe, expect, it } from 'vitest';
import { insertBlock } from './insertImage';

const image = '![shot](/api/v1/knowledge/articles/1/images/att_a)';

describe('inserting an image into an article body', () => {
  it('goes at the end when there is no caret, as a block of its own', () => {
    expect(insertBlock('Check the cable.', image, null, null)).toEqual({
      text: `Check the cable.\n\n${image}\n`,
      caret: `Check the cable.\n\n${image}\n`.length,
    });
    expect(insertBlock('', image, null, null).text).toBe(`${image}\n`);
    expect(insertBlock('Ends with a line.\n', image, null, null).text).toBe(`Ends with a line.\n\n${image}\n`);
  });

  it('goes at the caret, between paragraphs or inside one', () => {
    const body = 'One.\n\nTwo.';
    expect(insertBlock(body, image, 6, 6).text).toBe(`One.\n\n${image}\n\nTwo.`);
    const inside = insertBlock('Before after', image, 7, 7);
    expect(inside.text).toBe(`Before \n\n${image}\n\nafter`);
    expect(inside.text.slice(inside.caret)).toBe('after');
  });

  it('replaces a selection, and keeps positions inside the text', () => {
    expect(insertBlock('Keep THIS out', image, 5, 9).text).toBe(`Keep \n\n${image}\n\n out`);
    expect(insertBlock('short', image, 99, 120).text).toBe(`short\n\n${image}\n`);
    expect(insertBlock('short', image, 3, 1).text).toBe(`sho\n\n${image}\n\nrt`);
  });
});
