import { RESERVED } from '../../../src/sql-guard/word-rules.ts';

/** T-SQL's reserved keywords (shared with the guard); any other word is an identifier, emitted quoted. */
export { RESERVED };

/** Words that open a new statement when they appear where a statement may start. */
export const STATEMENT_STARTERS = new Set(
  `SELECT INSERT UPDATE DELETE MERGE WITH DECLARE SET USE BEGIN COMMIT ROLLBACK SAVE CREATE ALTER DROP
  TRUNCATE EXEC EXECUTE WAITFOR PRINT RAISERROR THROW IF WHILE GRANT DENY REVOKE RETURN DBCC`.split(/\s+/),
);

/** Table hints SQL Server accepts in `WITH (…)` or bare `(…)` after a table; the sandbox ignores them. */
export const TABLE_HINTS = new Set(
  `NOLOCK READUNCOMMITTED READCOMMITTED READCOMMITTEDLOCK REPEATABLEREAD SERIALIZABLE HOLDLOCK UPDLOCK
  ROWLOCK PAGLOCK TABLOCK TABLOCKX XLOCK NOWAIT READPAST INDEX FORCESEEK FORCESCAN NOEXPAND SNAPSHOT
  KEEPIDENTITY KEEPDEFAULTS IGNORE_CONSTRAINTS IGNORE_TRIGGERS SPATIAL_WINDOW_MAX_CELLS`.split(/\s+/),
);
