// A profile the lab refuses, naming the field to fix: a bad file, an
// unknown name, or a field the host contradicts (a persistent image of
// another size, a kernel path outside the entitled folders).
export class ProfileError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  /** The message starts with the field, as validation errors do. */
  static at(field: string, message: string): ProfileError {
    return new ProfileError(`${field}: ${message}`, field);
  }
}
