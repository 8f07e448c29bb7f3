// The one door to DuckDB: an in-memory database that cannot reach files or the network,
// filled in column batches through the Appender, queried only with bound parameters.

import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR } from '@duckdb/node-api';

export type ColumnType = 'varchar' | 'double' | 'integer' | 'bigint' | 'boolean';
const TYPES: Record<ColumnType, DuckDBType> = { varchar: VARCHAR, double: DOUBLE, integer: INTEGER, bigint: BIGINT, boolean: BOOLEAN };

/** DuckDB's standard vector size: one data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

export interface Db {
  /** Appends rows given as columns (all of equal length), in chunks. */
  append(table: string, types: readonly ColumnType[], columns: readonly (readonly DuckDBValue[])[]): Promise<void>;
  exec(sql: string, params?: Record<string, DuckDBValue>): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>;
  /** Forbids any further change of settings; call once the tables are loaded. */
  lockConfiguration(): Promise<void>;
  close(): void;
}

export async function openDb(): Promise<Db> {
  const instance = await DuckDBInstance.create(':memory:', {
    enable_external_access: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn: DuckDBConnection = await instance.connect();
  return {
    async append(table, types, columns) {
      const rowCount = columns[0]?.length ?? 0;
      if (rowCount === 0) return;
      const appender = await conn.createAppender(table);
      try {
        const duckTypes = types.map((t) => TYPES[t]);
        for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
          const end = Math.min(start + CHUNK_ROWS, rowCount);
          const chunk = DuckDBDataChunk.create(duckTypes, end - start);
          chunk.setColumns(columns.map((col) => col.slice(start, end)));
          appender.appendDataChunk(chunk);
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    },
    async exec(sql, params) {
      await conn.run(sql, params);
    },
    async rows<T>(sql: string, params?: Record<string, DuckDBValue>) {
      const reader = await conn.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as T[];
    },
    async lockConfiguration() {
      await conn.run('SET lock_configuration = true');
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
