import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyQuery } from '../../../src/research/forms.ts';
import { looksLikeSql } from '../../../src/research/sql-detection.ts';
import { createGuard } from '../../../src/sql-guard/index.ts';

const guard = createGuard({ maxLength: 20_000, rowCap: 100, denySchemas: [], denyTables: [] });

/** One statement per T-SQL statement-leading keyword (Transact-SQL reference, statements). */
const STATEMENTS = [
  'KILL 53',
  'kill 53',
  "KILL 'D5499C66-E398-45CA-BF7E-DC9C194B48CF'",
  'KILL QUERY NOTIFICATION SUBSCRIPTION ALL',
  'kill stats job 5',
  'KILL 53 WITH STATUSONLY',
  'ADD SIGNATURE TO dbo.p BY CERTIFICATE c',
  "add sensitivity classification to dbo.t.c with (label = 'x')",
  'ALTER TABLE t ADD c int',
  "BACKUP DATABASE d TO DISK = 'x'",
  'BEGIN TRAN',
  'BEGIN TRY SELECT 1 END TRY BEGIN CATCH END CATCH',
  'BREAK',
  "BULK INSERT t FROM 'x'",
  'CHECKPOINT',
  'CLOSE c',
  'close symmetric key k',
  'CLOSE MASTER KEY',
  'COMMIT',
  'CONTINUE',
  "COPY INTO t FROM 'x'",
  'CREATE TABLE t (a int)',
  'DBCC CHECKDB',
  'DEALLOCATE c',
  'DECLARE @a int',
  'DELETE FROM t',
  'DENY SELECT ON t TO u',
  'DISABLE TRIGGER tr ON t',
  'disable trigger all on database',
  'DROP TABLE t',
  'DUMP DATABASE d TO x',
  'ENABLE TRIGGER tr ON t',
  'END CONVERSATION @h',
  'end conversation @h',
  'EXEC sp_who',
  "EXECUTE ('x')",
  'FETCH NEXT FROM c',
  'fetch next from c',
  'GET CONVERSATION GROUP @g FROM q',
  'GO',
  'GOTO l',
  'GRANT SELECT ON t TO u',
  'IF 1 = 1 SELECT 1',
  'INSERT t VALUES (1)',
  'LOAD DATABASE d FROM x',
  'MERGE t USING s ON 1 = 1 WHEN MATCHED THEN DELETE;',
  'MOVE CONVERSATION @h TO @g',
  'OPEN c',
  "open symmetric key k decryption by password = 'x'",
  "PRINT 'x'",
  'print @@version',
  "RAISERROR ('x', 16, 1)",
  'READTEXT t.c @p 0 1',
  'RECEIVE TOP (1) * FROM q',
  'receive * from q',
  'RECONFIGURE',
  'RENAME OBJECT t TO u',
  'RESTORE DATABASE d FROM x',
  'RETURN',
  'return 1',
  'REVERT',
  'REVOKE SELECT ON t FROM u',
  'ROLLBACK',
  'SAVE TRAN s',
  'SEND ON CONVERSATION @h',
  "send on conversation @h ('x')",
  'SET NOCOUNT ON',
  'SETUSER',
  'SHUTDOWN',
  "THROW 50000, 'x', 1",
  'TRUNCATE TABLE t',
  'UPDATE t SET a = 1',
  'UPDATE STATISTICS t',
  'UPDATETEXT t.c @p 0 1',
  'USE master',
  "WAITFOR DELAY '00:00:05'",
  'WHILE 1 = 1 BREAK',
  "WRITETEXT t.c @p 'x'",
  'l: DELETE FROM t',
  // Plain words, no punctuation, yet statements: they stay SQL.
  'delete t where current of c',
  'delete from t where current of c',
  'update statistics t',
  'declare c cursor for select a from t for update of a',
  'create trigger tr on t instead of insert as select 1',
  'drop table orders',
  'truncate table t',
  'DELETE flag of legacy records',
  'delete from t -- of x',
  'use master',
  'grant control to public',
  'ＫＩＬＬ 53',
  'ＤＥＬＥＴＥ FROM t',
  'dbo.usp_Purge',
  'sp_who2',
  "xp_cmdshell 'dir'",
];

/** Everyday English that starts with a statement word and must stay a word search. */
const ENGLISH = [
  'open tickets about refunds',
  'kill switch incidents',
  'Kill switch incidents',
  'print jobs that failed',
  'close reasons for lost deals',
  'get customers in Norway',
  'move requests from last week',
  'send failures by region',
  'receive dates of late orders',
  'enable flags on products',
  'disable reasons',
  'end of month revenue',
  'load times by page',
  'dump truck deliveries',
  'add-on products sold',
  'copy paper orders',
  'rename requests',
  'return rate by category',
  'break down of sales',
  'continue shopping events',
  'go live dates',
  'fetch errors in the log',
  'late delivery complaints',
  // A statement word no statement could continue this way: hyphenated, before a bare OF (reserved
  // in T-SQL), WITH without parentheses, DECLARE without a variable, UPDATE without SET.
  'drop-off points of deliveries',
  'Drop-off point where the carrier left a parcel',
  'insert date of imported rows',
  'update notes from the old system',
  'Update column in LegacyImport',
  'delete flag of legacy records',
  'exec routine names of legacy flags',
  'execute times of jobs',
  'with which carrier was an order shipped',
  'With which carrier was an order shipped?',
  'create date of customer accounts',
  'merge of duplicate customers',
  'grant of refunds by managers',
  'declare reasons for refunds',
  'use of discount codes',
  'set of tables for HR',
  'backup of the old shop data',
  'set-up fees',
];

describe('SQL detection: every statement keyword is SQL (and refused), everyday English stays a word search', () => {
  for (const sql of STATEMENTS) {
    it(`reads ${JSON.stringify(sql)} as SQL and the guard refuses it`, () => {
      assert.equal(looksLikeSql(sql), true);
      const form = classifyQuery(sql);
      assert.equal(form.form, 'sql');
      const v = guard.check(sql);
      assert.equal(v.ok, false);
    });
  }
  for (const text of ENGLISH) {
    it(`reads ${JSON.stringify(text)} as words`, () => assert.equal(classifyQuery(text).form, 'natural_language'));
  }
});
