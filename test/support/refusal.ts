/** What a promise expected to be refused was refused with (a RegistryError's fields); it fails the test if it settles. */
export const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as { code: string; status: number; details?: Record<string, unknown> },
  );
