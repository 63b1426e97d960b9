/** A command refused before it changed anything: one line, then a non-zero exit. */
export class CommandRefused extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CommandRefused';
  }
}
