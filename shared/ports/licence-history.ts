import type { ProductDay } from '../licences/forecast';

/**
 * The daily history of every licence product (purchased, assigned, consumed), the base of the trend and forecast.
 * One row per product per day: recording a day again replaces it (a report run twice a day keeps the last).
 * SQLite in the data folder locally, Azure Table Storage in Azure.
 */
export interface LicenceHistory {
  record(days: ProductDay[]): Promise<void>;
  /** Every row from this date (YYYY-MM-DD, inclusive), oldest first. */
  since(date: string): Promise<ProductDay[]>;
}
