import type { BlobStore } from './blob-store.js';

function refuse(): never {
  throw new Error('this command has no blob store');
}

/** A blob store for a command that must never touch stored documents (the route list). */
export const noBlobStore: BlobStore = {
  put: async () => refuse(),
  open: async () => refuse(),
  readMany: async () => refuse(),
  delete: async () => refuse(),
  list: async () => refuse(),
  removeTemporaries: async () => refuse(),
};
