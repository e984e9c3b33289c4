/**
 * Replaces the password of every `scheme://user:password@` in a text with `***`, so URLs can go into messages and
 * status output. Everything up to the last `@` of a URL counts as userinfo, since passwords are often not
 * percent-encoded.
 *
 * @example
 * redactUrl('redis://app:s3cret@10.0.0.1:6379/0'); // 'redis://app:***@10.0.0.1:6379/0'
 */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^\s:@/]*):[^\s]*@/g, '$1:***@');
}
