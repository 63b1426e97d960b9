/** A batch of files for the blob reader thread to read whole. */
export interface ReadRequest {
  id: number;
  files: string[];
}

/** The files' bytes end to end, and each one's length (or the error code it failed with). */
export interface ReadReply {
  id: number;
  bytes: Uint8Array;
  lengths: (number | string)[];
}
