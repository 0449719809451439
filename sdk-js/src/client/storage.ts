/**
 * Storage that never throws: localStorage where it exists and works (not in private modes that
 * refuse it, not in SSR or Workers), memory otherwise. A full or broken store loses nothing
 * that is in memory and never reaches the host application as an exception.
 *
 * @module
 */

/** The subset of the Web Storage API the client uses; pass your own for tests or native apps. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class MemoryStorage implements KeyValueStorage {
  readonly #items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
}

/** localStorage when it can be read and written here, else null. */
export function browserStorage(): KeyValueStorage | null {
  try {
    const ls = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
    if (!ls) return null;
    const probe = "edgeflag:probe";
    ls.setItem(probe, "1");
    ls.removeItem(probe);
    return ls;
  } catch {
    return null;
  }
}

/** A store whose reads and writes never throw; a failed write reports false. */
export interface SafeStorage {
  get(key: string): string | null;
  /** The parsed JSON at `key`, or null when it is missing or not JSON. */
  getJson<T>(key: string): T | null;
  set(key: string, value: string): boolean;
  remove(key: string): void;
}

/** Runs `f`, or gives `otherwise` when it throws. */
const attempt = <T>(f: () => T, otherwise: T): T => {
  try {
    return f();
  } catch {
    return otherwise;
  }
};

/** Wraps a store so that reads and writes never throw (a broken store loses only what it holds). */
export function safeStorage(store: KeyValueStorage): SafeStorage {
  return {
    get: (key) => attempt(() => store.getItem(key), null),
    // JSON.parse(null) is null: a missing key needs no case of its own.
    getJson: (key) => attempt(() => JSON.parse(store.getItem(key) as string), null),
    set: (key, value) => attempt(() => (store.setItem(key, value), true), false),
    remove: (key) => attempt(() => store.removeItem(key), undefined),
  };
}
