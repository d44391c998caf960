/** One record of the file: a plain object, or why the record cannot be read (skippable). */
export type RawRecord =
  | { line: number; value: Record<string, unknown>; error?: undefined }
  | { line: number; error: string; value?: undefined };
