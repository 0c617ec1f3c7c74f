import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * The sandbox through jTDS (Debian libjtds-java), a JDBC driver that speaks TDS 7.1 ("TDS=8.0"),
 * starts with LOGIN7 when SSL is off, and turns autocommit off with SET IMPLICIT_TRANSACTIONS ON.
 * Arguments: host port database user password tds ssl. Prints one "check<TAB>value" line per check;
 * a result is its rows joined by ';', each row's columns (getString) joined by '|'.
 */
class JtdsChecks {
  static void out(String check, Object value) {
    System.out.println(check + "\t" + value);
  }

  static String rows(ResultSet rs) throws SQLException {
    StringBuilder all = new StringBuilder();
    int columns = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      if (all.length() > 0) all.append(';');
      for (int i = 1; i <= columns; i++) all.append(i > 1 ? "|" : "").append(rs.getString(i));
    }
    return all.toString();
  }

  static int trancount(Statement st) throws SQLException {
    ResultSet rs = st.executeQuery("SELECT @@TRANCOUNT");
    rs.next();
    return rs.getInt(1);
  }

  public static void main(String[] a) throws Exception {
    Class.forName("net.sourceforge.jtds.jdbc.Driver");
    String url = "jdbc:jtds:sqlserver://" + a[0] + ":" + a[1] + "/" + a[2] + ";TDS=" + a[5] + ";ssl=" + a[6];
    try (Connection cn = DriverManager.getConnection(url, a[3], a[4])) {
      Statement st = cn.createStatement();
      out("rows", rows(st.executeQuery("SELECT TOP 5 OrderID, CustomerID, Status FROM sales.Orders ORDER BY OrderID")));
      out("types", rows(st.executeQuery(
          "SELECT CAST(42 AS int) AS i, CAST(-7 AS bigint) AS g, CAST(12.34 AS decimal(6,2)) AS d, N'héllo wörld' AS s, NULL AS z")));
      ResultSet lobs = st.executeQuery(
          "SELECT CAST(REPLICATE('ab', 5000) AS varchar(max)) AS t, CAST(N'élan' AS nvarchar(max)) AS nt, CAST('2024-01-02' AS date) AS d");
      lobs.next();
      out("lobs", lobs.getString(1).length() + "|" + lobs.getString(1).substring(0, 4) + "|" + lobs.getString(2) + "|" + lobs.getString(3));
      PreparedStatement ps = cn.prepareStatement("SELECT ? AS a, ? AS b, ? AS c");
      ps.setInt(1, 41);
      ps.setString(2, "çà va");
      ps.setNull(3, Types.VARCHAR);
      out("params", rows(ps.executeQuery()));

      cn.setAutoCommit(false);
      String seen = trancount(st) + ",";
      st.executeUpdate("UPDATE sales.Orders SET Status = 'jTDS rolled back' WHERE OrderID = 4");
      seen += trancount(st) + ",";
      cn.rollback();
      seen += trancount(st);
      out("rollback", seen + "|" + rows(st.executeQuery("SELECT Status FROM sales.Orders WHERE OrderID = 4")));
      st.executeUpdate("UPDATE sales.Orders SET Status = 'jTDS committed' WHERE OrderID = 4");
      cn.commit();
      out("commit", trancount(st));
      cn.commit();
    }
  }
}
