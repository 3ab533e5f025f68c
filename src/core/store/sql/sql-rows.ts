import { isUniqueViolation, type SqlRow } from './sql-client.js';

/** Runs `work`; a unique-constraint violation (a concurrent writer won) becomes `answer`. */
export async function unlessTaken<T, A>(work: () => Promise<T>, answer: A): Promise<T | A> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) return answer;
    throw error;
  }
}

/** First key of the advisory locks this store takes (the second is per app or purpose). */
export const LOCK_SPACE = 0x5354;

/**
 * A VARCHAR or TEXT column, exactly as stored: emails, phone numbers, tenant ids and the like
 * keep any leading or trailing blanks they were written with.
 */
export const text = (row: SqlRow, column: string): string => String(row[column]);
export const optionalText = (row: SqlRow, column: string): string | undefined =>
  row[column] === null || row[column] === undefined ? undefined : text(row, column);

/**
 * A CHAR(n) value (the official schema's user ids, device id hashes, …): PostgreSQL returns it
 * blank-padded to n characters, so the padding is dropped. Only for CHAR(n) columns.
 */
export const unpadded = (value: unknown): string => String(value).trimEnd();
export const charColumn = (row: SqlRow, column: string): string => unpadded(row[column]);
export const optionalCharColumn = (row: SqlRow, column: string): string | undefined =>
  row[column] === null || row[column] === undefined ? undefined : charColumn(row, column);

export const num = (row: SqlRow, column: string): number => Number(row[column]);
export const json = (value: unknown): unknown =>
  typeof value === 'string' ? JSON.parse(value) : value;
