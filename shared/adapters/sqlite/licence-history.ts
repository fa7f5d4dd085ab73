import type Database from 'better-sqlite3';
import { ProductDayRow } from '../../licences/history-row';
import type { ProductDay } from '../../licences/forecast';
import type { LicenceHistory } from '../../ports/licence-history';
import { openDatabase } from './open-database';

/** The licence history in the local data folder: one row per (day, product). */
export class SqliteLicenceHistory implements LicenceHistory {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `CREATE TABLE IF NOT EXISTS licence_days (
         day TEXT NOT NULL, product TEXT NOT NULL, name TEXT NOT NULL,
         purchased INTEGER NOT NULL, assigned INTEGER NOT NULL, consumed INTEGER NOT NULL,
         PRIMARY KEY (day, product));`,
    );
  }

  async record(days: ProductDay[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT OR REPLACE INTO licence_days (day, product, name, purchased, assigned, consumed)
       VALUES (@date, @key, @name, @purchased, @assigned, @consumed)`,
    );
    this.db.transaction(() => {
      for (const day of days) upsert.run(ProductDayRow.parse(day));
    })();
  }

  async since(date: string): Promise<ProductDay[]> {
    const rows = this.db
      .prepare(
        `SELECT day AS date, product AS key, name, purchased, assigned, consumed FROM licence_days
         WHERE day >= ? ORDER BY day, product`,
      )
      .all(date);
    return rows.map((row) => ProductDayRow.parse(row));
  }
}
