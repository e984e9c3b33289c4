import { describe, expect, it } from 'vitest';
import { runReadmeBlock } from './readme-block.js';

// Lives here rather than in core: the example loads drivers, which core does not depend on.
describe('the core README configuration example', () => {
  it('runs as written', async () => {
    expect(await runReadmeBlock('../../core/README.md', '## Configuration', '.readme-example-core')).toEqual([['sqlite', '/apps', 300000]]);
  });
});
