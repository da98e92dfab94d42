/** Lambda function names: letters, digits, hyphens and underscores, at most 64 characters. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * The bare name of a Lambda function from any form the API accepts: a name, a name with a qualifier
 * (`name:alias`), a full ARN (`arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier]`) or a
 * partial ARN (`123456789012:function:name[:qualifier]`). `undefined` for anything else (another
 * resource's ARN, an empty string).
 *
 * @example
 * lambdaFunctionName('arn:aws:lambda:eu-west-1:123456789012:function:thumbnails:prod'); // 'thumbnails'
 */
export function lambdaFunctionName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().split(':');
  let name: string | undefined;
  if (parts[0] === 'arn' && parts.length > 2) {
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function')
      return undefined;
    name = parts[6];
  } else if (parts.length >= 3 && parts[1] === 'function') {
    if (parts.length > 4 || !ACCOUNT_ID.test(parts[0] ?? '')) return undefined;
    name = parts[2];
  } else if (parts.length <= 2) {
    name = parts[0];
  }
  return name !== undefined && FUNCTION_NAME.test(name) ? name : undefined;
}

/**
 * The bucket and key of an S3 ARN (`arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key`), or `undefined` for
 * anything else (including S3 on Outposts and access point ARNs).
 */
export function s3ArnParts(value: unknown): { bucket: string; key?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^arn:[a-z-]+:s3:::([^/]+)(?:\/(.+))?$/.exec(value);
  if (!match?.[1]) return undefined;
  return match[2] ? { bucket: match[1], key: match[2] } : { bucket: match[1] };
}
