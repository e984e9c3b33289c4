import { describe, expect, it } from 'vitest';
import { runReadmeBlock } from './readme-block.js';

describe('the README example', () => {
  it('runs as written on the memory backend', async () => {
    expect(await runReadmeBlock('../../../README.md', '## Use it', '.readme-example')).toEqual([
      ['MODIFIED', 'web-0'],
      ['DELETED', 'web-0'],
    ]);
  });
});
