/** An AWS partition: a group of regions with its own endpoints and ARNs. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b';

/**
 * The partition a region belongs to, from its name (`cn-north-1` is in `aws-cn`).
 *
 * @example
 * partitionOf('us-gov-west-1'); // 'aws-us-gov'
 */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}
