import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';

describe('formatBytes', () => {
  it('says bytes, kilobytes and megabytes, a size just under a unit in the next one', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(348_160)).toBe('340 KB');
    // 1,048,064 bytes round to 1024 KB: that is 1.0 MB.
    expect(formatBytes(1_048_063)).toBe('1023 KB');
    expect(formatBytes(1_048_064)).toBe('1.0 MB');
    expect(formatBytes(1_048_575)).toBe('1.0 MB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MB');
  });
});
