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

/** Upper-cased, compatibility-folded form used for every keyword comparison (`ＤＥＬＥＴＥ` is DELETE). */
export function keywordOf(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text.toUpperCase() : text.normalize('NFKC').toUpperCase();
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
    : name.normalize('NFKD').replace(/\p{M}+/gu, '').normalize('NFKC');
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
UPDLOCK XLOCK TABLOCKX SERIALIZABLE REPEATABLEREAD`);

/** Why a refused word is refused, for the message a model reads. */
export function deniedWordReason(word: string): string | undefined {
  if (word === 'HOLDLOCK' || word === 'UPDLOCK' || word === 'XLOCK' || word === 'TABLOCKX') {
    return `the locking hint ${word} takes locks a read-only query must not hold`;
  }
  if (word === 'SERIALIZABLE' || word === 'REPEATABLEREAD') {
    return `the hint ${word} holds locks until the transaction ends`;
  }
  if (word === 'INTO') return 'SELECT … INTO creates a table';
  if (DENIED_WORDS.has(word)) return `${word} is not part of a read-only query`;
  if (RESERVED.has(word) && !QUERY_KEYWORDS.has(word)) return `${word} is not part of a read-only query`;
  return undefined;
}

/** Compatibility views that resolve without a schema prefix and expose logins or sessions. */
const DENIED_NAMES = words(`
SYSPROCESSES SYSLOGINS SYSXLOGINS SYSREMOTELOGINS SYSLINKEDLOGINS SYSSERVERS SYSOLEDBUSERS
SQL_LOGINS SERVER_PRINCIPALS SERVER_ROLE_MEMBERS SERVER_PERMISSIONS CREDENTIALS DATABASE_CREDENTIALS
DATABASE_SCOPED_CREDENTIALS LINKED_LOGINS SERVERS MASTER_KEY_PASSWORDS SYMMETRIC_KEYS
ASYMMETRIC_KEYS CERTIFICATES KEY_ENCRYPTIONS CRYPTOGRAPHIC_PROVIDERS LOGIN_TOKEN USER_TOKEN
TRACES SERVER_AUDITS SERVER_TRIGGERS SERVER_SQL_MODULES REMOTE_LOGINS SYSCACHEOBJECTS SYSLOCKINFO
LOGINPROPERTY PWDCOMPARE PWDENCRYPT FN_DBLOG FN_DUMP_DBLOG FN_FULL_DBLOG FN_GET_AUDIT_FILE
FN_XE_FILE_TARGET_READ_FILE FN_XE_TARGET_READ_FILE FN_GET_SQL FN_TRACE_GETTABLE FN_TRACE_GETINFO FN_VIRTUALFILESTATS
DECRYPTBYKEY DECRYPTBYPASSPHRASE DECRYPTBYCERT DECRYPTBYASYMKEY DECRYPTBYKEYAUTOCERT
OPENROWSET OPENQUERY OPENDATASOURCE OPENXML`);

/** Names too generic to refuse alone (a user table may be called `servers`); refused under `sys`. */
const SYS_ONLY = words('SERVERS CERTIFICATES CREDENTIALS TRACES');

/**
 * Why an object name (the parts of `db.schema.name`, any position in the query) is off limits:
 * server-level security views, session and log DMVs/DMFs, and extended or system procedures.
 * `parts` are identifier values (brackets and quotes already removed).
 */
export function deniedObjectReason(parts: readonly string[]): string | undefined {
  const folded = parts.map(foldName);
  const last = folded[folded.length - 1] ?? '';
  const schema = folded.length >= 2 ? folded[folded.length - 2] : undefined;
  for (const part of folded) {
    if (part.startsWith('XP_') || part.startsWith('SP_')) {
      return `${part.toLowerCase()} is a system or extended procedure`;
    }
    if (/^DM_(EXEC|TRAN|OS|XE|CLR|DB_SESSION|DB_LOG|AUDIT|SERVER|CRYPTOGRAPHIC|BROKER)/.test(part)) {
      return `the dynamic management object ${part.toLowerCase()} exposes other sessions or server internals`;
    }
  }
  if (folded.length >= 4) return `${parts.join('.')} reaches another server (four-part name)`;
  if (folded.length === 3 && folded[0] === 'MSDB') return 'msdb holds jobs, mail and backup history';
  if (folded.length === 3 && folded[0] === 'TEMPDB') return 'tempdb holds other sessions\' temporary objects';
  if (DENIED_NAMES.has(last) && (!SYS_ONLY.has(last) || schema === 'SYS' || schema === '')) {
    return `${parts.join('.')} exposes server-level security, sessions or the log`;
  }
  return undefined;
}
