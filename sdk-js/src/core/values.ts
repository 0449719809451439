/**
 * The small helpers every layer of the SDK shares (the core, signing, the client), written once.
 *
 * @module
 */

/** A plain object (not null, not an array): what a config, a flag, a JWS header and a payload are. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a caught value says: an Error's message, or the value itself as text. */
export const messageOf = (e: unknown): string => String((e as Error)?.message ?? e);

/** The length of a string in UTF-8 bytes, which is what the Worker's and the browsers' limits count. */
export const utf8Length = (text: string): number => new TextEncoder().encode(text).length;
