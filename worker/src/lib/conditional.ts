/**
 * Conditional GETs: ETags of versions and `If-None-Match` (RFC 9110 §13.1.2, weak comparison).
 *
 * @module
 */

/**
 * The strong ETag of a config version: the version number, quoted.
 *
 * @example
 * etagOf(7) === '"7"'
 */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Whether an `If-None-Match` header matches `etag`: `*`, or any listed tag once `W/` is removed.
 *
 * @example
 * ifNoneMatch('W/"6", "7"', '"7"') === true
 */
export function ifNoneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(",").some((raw) => {
    const tag = raw.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}
