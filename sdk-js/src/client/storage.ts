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

/** Wraps a store so that reads and writes never throw; a failed write reports false. */
export class SafeStorage {
  readonly #store: KeyValueStorage;
  constructor(store: KeyValueStorage) {
    this.#store = store;
  }
  get(key: string): string | null {
    try {
      return this.#store.getItem(key);
    } catch {
      return null;
    }
  }
  getJson<T>(key: string): T | null {
    const text = this.get(key);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }
  set(key: string, value: string): boolean {
    try {
      this.#store.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }
  remove(key: string): void {
    try {
      this.#store.removeItem(key);
    } catch {
      // nothing to do: the store is broken and the value is gone from memory anyway
    }
  }
}
