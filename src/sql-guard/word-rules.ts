/**
 * The vocabulary of the read-only guard: which T-SQL words may appear in a query, which never may,
 * and which objects are off limits whatever the configuration says.
 *
 * Reasoning: a T-SQL *reserved* keyword can never be an unquoted identifier, so refusing every
 * reserved keyword that the SELECT grammar does not use costs nothing for real queries (a column
 * named `[Drop]` is a bracketed identifier, not a word) and removes every statement that starts
 * with a reserved keyword. The few statements that start with a non-reserved keyword (`ENABLE
 * TRIGGER`, `RECEIVE`, `SEND`, `THROW`, …) are listed explicitly; the structural parser refuses
 * anything else that does not continue the query.
 */

import { deniedSystemObject } from './system-objects.ts';

/**
 * The keyword a word is, as SQL Server reads it: T-SQL keywords are ASCII, matched without regard
 * to ASCII case; a word with any other letter (fullwidth `ＳＥＬＥＣＴ`, the long s in `ſelect`, the
 * Kelvin sign) is an identifier to SQL Server, so it is no keyword here either ('').
 * `compatibilityKeyword` refuses such look-alikes outright.
 */
export function keywordOf(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text.toUpperCase() : '';
}

/**
 * The ASCII word a non-ASCII word folds to (`ＳＥＬＥＣＴ`, `ſelect`, `ＤＥＬＥＴＥ`), or undefined. SQL
 * Server reads such a word as a name; another reader (or a future SQL Server) may read a keyword,
 * so the guard refuses the spelling instead of depending on either reading.
 */
export function compatibilityKeyword(text: string): string | undefined {
  if (/^[\x00-\x7f]*$/.test(text)) return undefined;
  for (const folded of [text.normalize('NFKC').toUpperCase(), text.toUpperCase().normalize('NFKC')]) {
    if (RESERVED.has(folded) || DENIED_WORDS.has(folded) || GRAMMAR_WORDS.has(folded)) return folded;
  }
  return undefined;
}

/**
 * Upper-cased form of an object name as SQL Server may match it: compatibility forms folded
 * (default collations are width-insensitive: `ｓｙｓ` is `sys`), accents dropped (accent-insensitive
 * collations exist) and trailing spaces ignored (`[sql_logins ]` names `sql_logins`). Broader than
 * any one collation, which only errs towards refusing.
 */
export function foldName(name: string): string {
  const folded = /^[\x00-\x7f]*$/.test(name)
    ? name
    : name
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .normalize('NFKC');
  return folded.toUpperCase().replace(/ +$/, '');
}

const words = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

/** SQL Server's reserved keywords (Transact-SQL reference, "Reserved keywords"). */
export const RESERVED = words(`
ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK BROWSE BULK BY CASCADE CASE
CHECK CHECKPOINT CLOSE CLUSTERED COALESCE COLLATE COLUMN COMMIT COMPUTE CONSTRAINT CONTAINS
CONTAINSTABLE CONTINUE CONVERT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP
CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE DECLARE DEFAULT DELETE DENY DESC DISK DISTINCT
DISTRIBUTED DOUBLE DROP DUMP ELSE END ERRLVL ESCAPE EXCEPT EXEC EXECUTE EXISTS EXIT EXTERNAL FETCH
FILE FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE FROM FULL FUNCTION GOTO GRANT GROUP HAVING
HOLDLOCK IDENTITY IDENTITY_INSERT IDENTITYCOL IF IN INDEX INNER INSERT INTERSECT INTO IS JOIN KEY
KILL LEFT LIKE LINENO LOAD MERGE NATIONAL NOCHECK NONCLUSTERED NOT NULL NULLIF OF OFF OFFSETS ON
OPEN OPENDATASOURCE OPENQUERY OPENROWSET OPENXML OPTION OR ORDER OUTER OVER PERCENT PIVOT PLAN
PRECISION PRIMARY PRINT PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE REFERENCES
REPLICATION RESTORE RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE
SCHEMA SECURITYAUDIT SELECT SEMANTICKEYPHRASETABLE SEMANTICSIMILARITYDETAILSTABLE
SEMANTICSIMILARITYTABLE SESSION_USER SET SETUSER SHUTDOWN SOME STATISTICS SYSTEM_USER TABLE
TABLESAMPLE TEXTSIZE THEN TO TOP TRAN TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL UNION UNIQUE
UNPIVOT UPDATE UPDATETEXT USE USER VALUES VARYING VIEW WAITFOR WHEN WHERE WHILE WITH WITHIN
WRITETEXT`);

/** Reserved keywords the SELECT grammar uses; every other reserved keyword is refused. */
export const QUERY_KEYWORDS = words(`
ALL AND ANY AS ASC BETWEEN BY CASE COALESCE COLLATE CONTAINS CONTAINSTABLE CONVERT CROSS CURRENT
CURRENT_DATE CURRENT_TIMESTAMP CURRENT_USER DESC DISTINCT DOUBLE ELSE END ESCAPE EXCEPT EXISTS
FETCH FOR FREETEXT FREETEXTTABLE FROM FULL GROUP HAVING IDENTITYCOL IN INDEX INNER INTERSECT IS JOIN
LEFT LIKE MERGE NOT NULL NULLIF OF ON OPTION OR ORDER OUTER OVER PERCENT PIVOT PRECISION RIGHT
ROWGUIDCOL SELECT SESSION_USER SOME SYSTEM_USER TABLESAMPLE THEN TO TOP TRY_CONVERT UNION UNPIVOT
USER VALUES WHEN WHERE WITH WITHIN`);

/**
 * Non-reserved words that begin statements (or lock rows) and so are refused wherever they appear
 * as bare words. A column that really has such a name can still be read as `[Name]`.
 */
export const DENIED_WORDS = words(`
ENABLE DISABLE SEND RECEIVE GET MOVE THROW CONVERSATION DIALOG COPY RENAME
UPDLOCK XLOCK TABLOCK TABLOCKX PAGLOCK SERIALIZABLE REPEATABLEREAD`);

/** Non-reserved words the query grammar reads as keywords (or that begin batches in tools). */
const GRAMMAR_WORDS = words(`
APPLY OFFSET ROWS ROW NEXT FIRST ONLY TIES WINDOW XML JSON PATH RAW AUTO EXPLICIT ROOT TYPE ELEMENTS ROLLUP
CUBE GROUPING SETS SYSTEM_TIME CONTAINED AT ZONE LOOP HASH REMOTE NOLOCK READPAST NOWAIT ROWLOCK
RECOMPILE MAXDOP MAXRECURSION FAST OPTIMIZE UNKNOWN GO CAST TRY_CAST COUNT SUM MIN MAX AVG IIF
STRING_AGG OPENJSON STRING_SPLIT PREDICT CHANGETABLE CHANGES VERSION`);

/** Why a refused word is refused, for the message a model reads. */
export function deniedWordReason(word: string): string | undefined {
  if (word === 'HOLDLOCK' || word === 'UPDLOCK' || word === 'XLOCK' || word === 'TABLOCKX') {
    return `the locking hint ${word} takes locks a read-only query must not hold`;
  }
  if (word === 'TABLOCK' || word === 'PAGLOCK') {
    return `the locking hint ${word} holds a table or page lock that blocks writers for the whole scan`;
  }
  if (word === 'SERIALIZABLE' || word === 'REPEATABLEREAD') {
    return `the hint ${word} holds locks until the transaction ends`;
  }
  if (word === 'INTO') return 'SELECT … INTO creates a table';
  if (DENIED_WORDS.has(word)) return `${word} is not part of a read-only query`;
  if (RESERVED.has(word) && !QUERY_KEYWORDS.has(word)) return `${word} is not part of a read-only query`;
  return undefined;
}

/**
 * Why an object name (the parts of `db.schema.name`, any position in the query) is off limits: a
 * dangerous system object (see `system-objects.ts`) or another server or system database.
 * `parts` are identifier values (brackets and quotes already removed).
 */
export function deniedObjectReason(parts: readonly string[]): string | undefined {
  return deniedSystemObject(parts.map(foldName), parts.join('.'));
}
