/**
 * `GET /v1/bucket?salt=S&subject=K`: the bucket of contract 1, through the SDK's core.
 *
 * @module
 */
import { bucket, hashSubject } from "@edgeflag/sdk/core";
import { SALT_PATTERN } from "@edgeflag/config-schema";
import { HttpError, json } from "../lib/http.ts";

/**
 * 200 with `{ hash, bucket }`; 400 naming `/salt` or `/subject`.
 *
 * @example
 * curl 'https://flags.example.com/v1/bucket?salt=checkout:a1:split&subject=user-42'
 */
export function getBucket(request: Request): Response {
  const url = new URL(request.url);
  const salt = url.searchParams.get("salt");
  const subject = url.searchParams.get("subject");
  if (salt === null || !SALT_PATTERN.test(salt)) {
    throw new HttpError(400, "INVALID_SALT", "salt must be 1 to 128 of A-Z a-z 0-9 _ : -", { pointer: "/salt" });
  }
  if (subject === null) throw new HttpError(400, "SUBJECT_REQUIRED", "subject is required", { pointer: "/subject" });
  return json({ hash: hashSubject(salt, subject), bucket: bucket(salt, subject) });
}
