/** A file's size as people read it: 12 B, 340 KB, 1.2 MB (rounded within a unit, never "1024 KB"). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const kb = Math.round(n / 1024);
  if (kb < 1024) return `${kb} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
